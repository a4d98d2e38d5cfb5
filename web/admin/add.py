"""Adding a source: paste a board URL (or choose a platform and give its board name), preview, then save.

The URL is recognised (``config.recognise``: a Lever board page becomes Lever's API feed), checked (http or https, a
public address after DNS resolution, not a feed some source already polls), then previewed: a crawl in a child process
shows the postings as jobsift would store them. The save form beside the preview has the platform's terms filled in.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from config.network import check_feed_host
from config.recognise import NotASource, Recognised, kind_from_path, resolve_source_url
from config.sources import board_feed_url, platform_kinds
from config.taxonomy import sector_names
from store.models import Source
from store.queries.sources import SourceProblem, add_source, find_source_by_url, free_key
from web.admin import bp
from web.admin.audit import audit
from web.admin.forms import initial_values, platform_label, read_source_fields, url_problem
from web.admin.preview import PreviewResult, PreviewRunner
from web.admin.sources import describe, settings
from web.db import session

# Boards of many employers: a source of one of these is named after the board, not a company it happens to list.
MULTI_EMPLOYER = {"remoteok", "remotive", "arbeitnow", "jobicy", "himalayas", "weworkremotely", "hn"}


# How a site of no known platform is read, by the look of its URL (config.recognise.kind_from_path).
GUESSES = {"rss": "an RSS or Atom feed", "jsonld": "a careers page or sitemap with JobPosting markup"}


def _kinds() -> list[tuple[str, str]]:
    return sorted(((kind, platform_label(kind)) for kind in platform_kinds()), key=lambda pair: pair[1].lower())


def _add_form(values: dict[str, str], errors: dict[str, str], status: int = 200) -> ResponseReturnValue:
    return render_template("admin/add.html", values=values, errors=errors, kinds=_kinds()), status


@bp.get("/sources/new")
def new_source() -> ResponseReturnValue:
    return _add_form({"url": request.args.get("url", "")[:2000], "kind": "", "board": ""}, {})


def resolve_target(url: str, kind: str, board: str) -> tuple[Recognised | None, dict[str, str], list[str]]:
    """The feed to preview for what the admin typed, or the problems with it (field -> message), and notes."""
    errors: dict[str, str] = {}
    notes: list[str] = []
    if kind and kind not in platform_kinds():
        errors["kind"] = "Choose a platform from the list."
        return None, errors, notes
    found: Recognised | None = None
    if url and board:
        errors["board"] = "Give the board's URL, or its platform and board name, not both."
    elif url:
        parts = urlsplit(url)
        problem = url_problem(url)
        if problem and (parts.scheme not in {"http", "https"} or not parts.hostname) and len(url) <= 2000:
            errors["url"] = "Only http and https URLs can be sources (for example https://jobs.lever.co/acme)."
        elif problem:
            errors["url"] = problem
        else:
            try:
                found = resolve_source_url(url, kind or None)
            except NotASource:
                guess = kind_from_path(url)
                found = Recognised(guess, url)
                notes.append(
                    f"jobsift does not know this site, so it reads it as {GUESSES[guess]}. If the preview finds "
                    "nothing, go back and choose its platform."
                )
    elif board:
        if not kind:
            errors["kind"] = "Choose the platform of this board."
        else:
            try:
                feed = board_feed_url(kind, board)
            except ValueError as exc:
                errors["board"] = f"{str(exc).capitalize()}."
            else:
                if feed is None:
                    errors["board"] = f"{platform_label(kind)} has no board names: paste the feed's URL instead."
                else:
                    found = Recognised(kind, feed, board)
    else:
        errors["url"] = "Paste the board's URL, or choose its platform and give its board name."
    if found is not None and not errors:
        check = check_feed_host(urlsplit(found.feed_url).hostname or "", settings().allow_private_networks)
        if check.refused:
            errors["board" if board else "url"] = f"This address can't be a source: {check.refused}."
        elif check.warning:
            notes.append(f"Warning: {check.warning}.")
    return (None if errors else found), errors, notes


@bp.post("/sources/preview")
def preview_source() -> ResponseReturnValue:
    values = {name: request.form.get(name, "").strip() for name in ("url", "kind", "board")}
    target, errors, notes = resolve_target(values["url"], values["kind"], values["board"])
    existing = None
    if target is not None:
        existing = find_source_by_url(session(), target.kind, target.feed_url)
        if existing is not None and existing.removed_at is None:
            errors["board" if values["board"] else "url"] = f"This feed is already source {existing.key!r}."
    if target is None or errors:
        return _add_form(values, errors, 400)
    # The preview takes seconds: no transaction stays open meanwhile.
    session().rollback()
    runner: PreviewRunner = current_app.extensions["jobsift.preview"]
    host = urlsplit(target.feed_url).hostname or ""
    result = runner(target.kind, target.feed_url, target.board or host)
    return _preview_page(target, result, _suggested(target, result, existing), {}, notes, existing)


def _suggested(target: Recognised, result: PreviewResult, existing: Source | None) -> dict[str, str]:
    if existing is not None:
        return initial_values(
            name=existing.name, kind=existing.kind, key=existing.key, sector=existing.sector,
            interval=existing.interval_minutes, terms=existing.terms or {},
        )  # fmt: skip
    host = urlsplit(target.feed_url).hostname or ""
    companies = Counter(p.get("company") for p in result.postings if p.get("company"))
    if len(companies) == 1 and target.kind not in MULTI_EMPLOYER:
        name = companies.most_common(1)[0][0]
    elif target.board:
        name = target.board
    elif target.kind in {"rss", "jsonld"}:
        name = host.removeprefix("www.")
    else:
        name = platform_label(target.kind)
    key = free_key(session(), f"{target.kind}-{target.board or host}")
    return initial_values(name=str(name)[:200], kind=target.kind, key=key)


def _preview_page(
    target: Recognised, result: PreviewResult | None, values: dict[str, str], errors: dict[str, str],
    notes: list[str], existing: Source | None, status: int = 200,
) -> ResponseReturnValue:  # fmt: skip
    return render_template(
        "admin/preview.html",
        target=target,
        result=result,
        values=values,
        errors=errors,
        notes=notes,
        existing=existing,
        sectors=[(n, n) for n in sector_names()],
    ), status


@bp.post("/sources/save")
def save_source() -> ResponseReturnValue:
    kind = request.form.get("kind", "").strip()
    feed_url = request.form.get("feed_url", "").strip()
    board = request.form.get("board", "").strip() or None
    if kind not in platform_kinds() or not feed_url:
        return _add_form({"url": feed_url[:2000], "kind": "", "board": ""}, {"url": "Start again from the URL."}, 400)
    target, errors, notes = resolve_target(feed_url, kind, "")
    target = Recognised(kind, feed_url, board)
    fields = read_source_fields(request.form, with_key=True)
    errors.update(fields.errors)
    existing = find_source_by_url(session(), kind, feed_url)
    if errors:
        return _preview_page(target, None, fields.values, errors, notes, existing, 400)
    db, now = session(), datetime.now(UTC)
    before: dict[str, Any] | None = describe(existing) if existing is not None else None
    try:
        added = add_source(
            db, kind=kind, feed_url=feed_url, now=now, key=fields.key, name=fields.name, sector=fields.sector,
            interval_minutes=fields.interval_minutes, terms=fields.terms,
        )  # fmt: skip
    except SourceProblem as exc:
        db.rollback()
        errors["url" if "already" in str(exc) else "key"] = f"{str(exc)[:1].upper()}{str(exc)[1:]}."
        return _preview_page(target, None, fields.values, errors, notes, existing, 400)
    saved = added.source
    if added.restored:
        saved.name, saved.sector = fields.name, fields.sector
        saved.interval_minutes, saved.terms = fields.interval_minutes, fields.terms
    audit("restore" if added.restored else "add", f"source:{saved.key}", before=before, after=describe(saved))
    db.commit()
    verb = "brought back" if added.restored else "added"
    flash(f"{saved.name} is {verb}; the scheduler crawls it at its next tick.")
    return redirect(url_for("admin.source", key=saved.key))
