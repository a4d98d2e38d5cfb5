"""A real full disk: a small tmpfs mounted for the test, holding the SQLite store, and a filler file that takes every
byte left on it.

Mounting needs root, as CI and the development machines run the suite: run as another user, these tests are skipped
with that reason; run as root, a mount that fails fails the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DISK_SIZE = "24m"


@dataclass
class Disk:
    path: Path

    @property
    def filler(self) -> Path:
        return self.path / "filler"

    def fill(self) -> None:
        """Take every byte left: writes to the disk now fail with ENOSPC."""
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            for size in (1 << 20, 1 << 12, 1):  # big chunks, then the last pages, then the last bytes
                chunk = b"\0" * size
                while True:
                    try:
                        os.write(fd, chunk)
                    except OSError:
                        break
        finally:
            os.close(fd)

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def available(self) -> int:
        return shutil.disk_usage(self.path).free


@pytest.fixture
def make_disk(tmp_path: Path) -> Iterator[Callable[[str], Disk]]:
    """Mounts small disks under the test's directory; all are unmounted at its end."""
    mounted: list[Path] = []

    if os.geteuid() != 0:
        pytest.skip("filling a real disk needs a tmpfs mount, which needs root")

    def make(name: str) -> Disk:
        mount = tmp_path / name
        mount.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE},mode=0700", f"jobsift-test-{name}", str(mount)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.fail(f"could not mount a small tmpfs to fill: {done.stderr.strip()}")
        mounted.append(mount)
        return Disk(mount)

    try:
        yield make
    finally:
        for mount in reversed(mounted):
            subprocess.run(["umount", "--lazy", str(mount)], check=False)


@pytest.fixture
def disk(make_disk: Callable[[str], Disk]) -> Disk:
    """The disk the store is on."""
    return make_disk("disk")


@pytest.fixture
def database_url(disk: Disk, sqlite_template: Path) -> str:
    """The shared fixtures' store (``settings``, ``db``), as a SQLite file on the small disk."""
    path = disk.path / "jobsift.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"
