"""The sources page, a page per source, and the admin's actions on a source.

Each action is a POST (with the CSRF token) that changes the source through ``store.queries.sources``, writes an
audit entry with the source's values before and after, and goes back where the admin was with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from config.network import check_feed_host
from config.settings import Settings
from config.sources import valid_key
from config.taxonomy import sector_names
from store.models import Source
from store.queries.admin import audit_entries
from store.queries.sources import (
    STATE_FAILING,
    STATE_PAUSED,
    STATE_REMOVED,
    SourceProblem,
    browse_sources,
    crawl_source_now,
    find_source_by_url,
    get_sources,
    pause_source,
    posting_counts,
    recent_runs,
    remove_source,
    reset_source_errors,
    source_state,
    unpause_source,
)
from web.admin import bp
from web.admin.audit import audit
from web.admin.forms import initial_values, read_source_fields, url_problem, whole_number
from web.admin.security import current_admin, safe_next
from web.db import session

PER_PAGE = 100
STATES = {"": "All", STATE_FAILING: "Failing", STATE_PAUSED: "Paused", STATE_REMOVED: "Removed"}


def describe(source: Source) -> dict[str, Any]:
    """A source's values as the audit log keeps them."""

    def stamp(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "key": source.key,
        "name": source.name,
        "kind": source.kind,
        "url": source.url,
        "sector": source.sector,
        "interval_minutes": source.interval_minutes,
        "terms": dict(source.terms or {}),
        "enabled": source.enabled,
        "paused_at": stamp(source.paused_at),
        "pause_reason": source.pause_reason,
        "consecutive_failures": source.consecutive_failures,
        "last_error": source.last_error,
        "next_crawl_at": stamp(source.next_crawl_at),
        "removed_at": stamp(source.removed_at),
    }


def settings() -> Settings:
    from flask import current_app

    found: Settings = current_app.extensions["jobsift.settings"]
    return found


def _source(key: str) -> Source:
    found = get_sources(session(), [key], removed=True) if valid_key(key) else []
    if not found:
        abort(404, f"There is no source {key!r}.")
    return found[0]


def _back(source: Source) -> ResponseReturnValue:
    return redirect(safe_next(request.form.get("next")) or url_for("admin.source", key=source.key))


@bp.get("/")
def home() -> ResponseReturnValue:
    return redirect(url_for("admin.sources"))


@bp.get("/sources")
def sources() -> ResponseReturnValue:
    state = request.args.get("state", "")
    if state not in STATES:
        abort(400, f"Unknown state {state[:40]!r}: choose failing, paused or removed, or none.")
    q = request.args.get("q", "").strip()[:200]
    page = whole_number(request.args.get("page", "1"), 1, 100_000)
    if page is None:
        abort(400, "page must be a whole number from 1")
    found = browse_sources(session(), state=state or None, q=q or None, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return render_template(
        "admin/sources.html",
        sources=found.sources,
        total=found.total,
        counts=posting_counts(session(), [s.id for s in found.sources]),
        state=state,
        states=STATES,
        q=q,
        page=page,
        pages=max(1, -(-found.total // PER_PAGE)),
        state_of=source_state,
        here=request.full_path.rstrip("?"),
    )


@bp.get("/sources/<key>")
def source(key: str) -> ResponseReturnValue:
    found = _source(key)
    return render_template(
        "admin/source.html",
        source=found,
        state=source_state(found),
        counts=posting_counts(session(), [found.id]).get(found.id),
        runs=recent_runs(session(), found.id),
        history=audit_entries(session(), target=f"source:{found.key}", limit=10).entries,
    )


def _act(
    key: str, action: str, change: Callable[[Source, datetime], object], done: Callable[[Source], str]
) -> ResponseReturnValue:
    """One of the source's quick actions: ``change`` it (a refusal is flashed), audit it with its values before and
    after, and go back where the admin was with the ``done`` message."""
    found = _source(key)
    before = describe(found)
    try:
        change(found, datetime.now(UTC))
    except SourceProblem as exc:
        flash(str(exc), "error")
        return _back(found)
    audit(action, f"source:{key}", before=before, after=describe(found))
    session().commit()
    flash(done(found))
    return _back(found)


@bp.post("/sources/<key>/crawl")
def crawl_now(key: str) -> ResponseReturnValue:
    def done(found: Source) -> str:
        note = " (a crawl already running finishes first)" if found.lease_owner else ""
        return f"{found.name} is due now: the scheduler crawls it at its next tick{note}."

    return _act(key, "crawl_now", crawl_source_now, done)


@bp.post("/sources/<key>/reset")
def reset_errors(key: str) -> ResponseReturnValue:
    return _act(
        key, "reset_errors", reset_source_errors, lambda found: f"The failure count of {found.name} is cleared."
    )


@bp.post("/sources/<key>/pause")
def pause(key: str) -> ResponseReturnValue:
    account = current_admin()
    reason = f"paused by {account.email if account else 'an admin'}"
    return _act(
        key,
        "pause",
        lambda found, now: pause_source(found, now, reason),
        lambda found: f"{found.name} is paused: it is not crawled until it is resumed.",
    )


@bp.post("/sources/<key>/resume")
def resume(key: str) -> ResponseReturnValue:
    return _act(key, "resume", unpause_source, lambda found: f"{found.name} is back in rotation and due now.")


@bp.get("/sources/<key>/remove")
def remove_confirm(key: str) -> ResponseReturnValue:
    found = _source(key)
    if found.removed_at is not None:
        flash(f"{found.name} is already removed.", "error")
        return redirect(url_for("admin.source", key=key))
    counts = posting_counts(session(), [found.id]).get(found.id)
    return render_template("admin/remove.html", source=found, open_postings=counts.open if counts else 0)


@bp.post("/sources/<key>/remove")
def remove(key: str) -> ResponseReturnValue:
    found = _source(key)
    if found.removed_at is not None:
        flash(f"{found.name} is already removed.", "error")
        return redirect(url_for("admin.source", key=key))
    before = describe(found)
    closed = remove_source(session(), found, datetime.now(UTC))
    after = {**describe(found), "postings_closed": closed}
    audit("remove", f"source:{key}", before=before, after=after)
    session().commit()
    flash(f"{found.name} is removed; {closed} open posting(s) closed (kept, not deleted).")
    return redirect(url_for("admin.sources"))


@bp.get("/sources/<key>/edit")
def edit(key: str) -> ResponseReturnValue:
    found = _source(key)
    values = initial_values(
        name=found.name, kind=found.kind, sector=found.sector, interval=found.interval_minutes, terms=found.terms or {}
    )
    values["url"] = found.url
    return render_template("admin/edit.html", source=found, values=values, errors={}, sectors=_sectors())


@bp.post("/sources/<key>/edit")
def edit_post(key: str) -> ResponseReturnValue:
    found = _source(key)
    if found.removed_at is not None:
        abort(409, f"{found.name} is removed; add its feed again to bring it back, then edit it.")
    fields = read_source_fields(request.form, with_key=False)
    url = request.form.get("url", "").strip()
    fields.values["url"] = url
    problem = _feed_url_problem(found, url)
    if problem:
        fields.errors["url"] = problem
    if not fields.ok:
        return render_template(
            "admin/edit.html", source=found, values=fields.values, errors=fields.errors, sectors=_sectors()
        ), 400
    before = describe(found)
    if url != found.url:
        # Another feed: the old one's validators and usual size say nothing about it.
        found.http_etag = found.http_last_modified = found.usual_postings = None
        found.shrunk_runs = 0
    found.name = fields.name
    found.url = url
    found.sector = fields.sector
    found.interval_minutes = fields.interval_minutes
    found.terms = fields.terms
    after = describe(found)
    if after != before:
        audit("edit", f"source:{key}", before=before, after=after)
        session().commit()
        flash(f"{found.name} is saved.")
    else:
        flash("Nothing changed.")
    return redirect(url_for("admin.source", key=key))


def _sectors() -> list[tuple[str, str]]:
    return [(name, name) for name in sector_names()]


def _feed_url_problem(found: Source, url: str) -> str | None:
    if url == found.url:
        return None
    problem = url_problem(url, "The feed URL")
    if problem:
        return problem
    check = check_feed_host(urlsplit(url).hostname or "", settings().allow_private_networks)
    if check.refused:
        return f"This address can't be a source: {check.refused}."
    other = find_source_by_url(session(), found.kind, url)
    if other is not None and other.id != found.id:
        return f"Source {other.key!r} already polls this feed."
    return None
