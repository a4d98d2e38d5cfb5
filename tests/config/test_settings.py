from __future__ import annotations

import stat
from pathlib import Path

import pytest

from config.settings import ConfigError, load_settings


def test_defaults_give_a_local_sqlite_store_under_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings({"JOBSIFT_DATA_DIR": str(tmp_path / "d")})
    assert settings.data_dir == tmp_path / "d"
    assert settings.database_url == f"sqlite:///{tmp_path / 'd' / 'jobsift.db'}"
    assert settings.is_sqlite
    assert settings.log_level == "INFO"


def test_without_data_dir_uses_xdg_data_home(tmp_path: Path) -> None:
    settings = load_settings({"XDG_DATA_HOME": str(tmp_path)})
    assert settings.data_dir == tmp_path / "jobsift"


def test_secret_key_is_generated_once_kept_private_and_reused(tmp_path: Path) -> None:
    env = {"JOBSIFT_DATA_DIR": str(tmp_path)}
    first = load_settings(env).secret_key
    second = load_settings(env).secret_key
    assert first == second
    assert len(first) >= 32
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_explicit_secret_key_wins(tmp_path: Path) -> None:
    key = "k" * 40
    assert load_settings({"JOBSIFT_DATA_DIR": str(tmp_path), "JOBSIFT_SECRET_KEY": key}).secret_key == key
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@db:5432/jobs", "postgresql+psycopg://u:p@db:5432/jobs"),
        ("postgres://u@db/jobs", "postgresql+psycopg://u@db/jobs"),
        ("postgresql+psycopg://u@db/jobs?sslmode=require", "postgresql+psycopg://u@db/jobs?sslmode=require"),
        ("sqlite:////var/lib/jobsift/x.db", "sqlite:////var/lib/jobsift/x.db"),
    ],
)
def test_database_urls_are_normalised_to_our_drivers(tmp_path: Path, given: str, expected: str) -> None:
    env = {"JOBSIFT_DATA_DIR": str(tmp_path), "JOBSIFT_DATABASE_URL": given}
    assert load_settings(env).database_url == expected


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("JOBSIFT_DATABASE_URL", "not a url", "not a database URL"),
        ("JOBSIFT_DATABASE_URL", "mysql://root@localhost/jobs", "unsupported database 'mysql'"),
        ("JOBSIFT_DATABASE_URL", "sqlite://", "file path"),
        ("JOBSIFT_DATABASE_URL", "postgresql://u@host", "name the PostgreSQL database"),
        ("JOBSIFT_SECRET_KEY", "short", "at least 32 characters"),
        ("JOBSIFT_HTTP_TIMEOUT", "soon", "whole number"),
        ("JOBSIFT_HTTP_TIMEOUT", "0", "between 1 and 600"),
        ("JOBSIFT_LOG_LEVEL", "LOUD", "one of DEBUG"),
        ("JOBSIFT_ALLOW_PRIVATE_NETWORKS", "maybe", "expected 1/0"),
    ],
)
def test_bad_values_fail_naming_the_variable(tmp_path: Path, name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings({"JOBSIFT_DATA_DIR": str(tmp_path), name: value})
    assert str(info.value).startswith(name + ":")
    assert message in str(info.value)


def test_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("x")
    with pytest.raises(ConfigError, match=r"JOBSIFT_DATA_DIR: .* is not a directory"):
        load_settings({"JOBSIFT_DATA_DIR": str(path)})


def test_child_environ_round_trips(tmp_path: Path) -> None:
    settings = load_settings({"JOBSIFT_DATA_DIR": str(tmp_path), "JOBSIFT_HTTP_TIMEOUT": "7"})
    assert load_settings(settings.child_environ()) == settings
