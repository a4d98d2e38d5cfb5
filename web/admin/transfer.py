"""Bulk import and export of sources, in the file format of ``jobsift sources import`` / ``export``."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from config.network import check_feed_host
from config.sources import parse_import, render_sources
from store.queries.sources import SourceProblem, export_entries, get_sources, import_sources
from web.admin import bp
from web.admin.audit import audit
from web.admin.sources import describe, settings
from web.db import session

MAX_IMPORT_BYTES = 512 * 1024


def _page(errors: list[str], status: int = 200) -> ResponseReturnValue:
    return render_template("admin/transfer.html", errors=errors), status


@bp.get("/sources/transfer")
def transfer() -> ResponseReturnValue:
    return _page([])


@bp.get("/sources/export")
def export() -> ResponseReturnValue:
    entries = export_entries(session())
    audit("export", "sources", after={"sources": len(entries)})
    session().commit()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return Response(
        render_sources(entries),
        mimetype="application/toml",
        headers={"Content-Disposition": f'attachment; filename="jobsift-sources-{stamp}.toml"'},
    )


@bp.post("/sources/import")
def import_file() -> ResponseReturnValue:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(["Choose a file to import."], 400)
    name = upload.filename[:200]
    raw = upload.stream.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        return _page([f"{name}: the file is larger than {MAX_IMPORT_BYTES // 1024} KB."], 400)
    try:
        entries = parse_import(raw.decode("utf-8"), name).sources
    except UnicodeDecodeError:
        return _page([f"{name}: not a text file in UTF-8."], 400)
    except ValueError as exc:
        return _page([str(exc)], 400)
    if not entries:
        return _page([f"{name}: the file has no [[source]] entries."], 400)
    allow_private = settings().allow_private_networks
    problems = []
    for entry in entries:
        refused = check_feed_host(urlsplit(entry.url).hostname or "", allow_private).refused
        if refused:
            problems.append(f"{name}: source {entry.key!r}: {entry.url}: {refused}.")
    if problems:
        return _page([*problems, "Nothing was imported."], 400)
    db = session()
    before = {s.key: describe(s) for s in get_sources(db, [e.key for e in entries], removed=True)}
    try:
        done = import_sources(db, entries, datetime.now(UTC), name)
    except SourceProblem as exc:
        db.rollback()
        return _page([str(exc)], 400)
    after = {s.key: describe(s) for s in get_sources(db, [e.key for e in entries])}
    audit("import", "sources", before=before or None, after=after)
    db.commit()
    flash(f"Imported {len(entries)} source(s) from {name}: {len(done.added)} added, {len(done.updated)} updated.")
    return redirect(url_for("admin.sources"))
