"""The alert pages: subscribe from a search, confirm, manage, unsubscribe, and the private feed.

Views stay short: the rules live in web.alerts.subscribe (limits, double opt-in), store.queries.alerts (state
changes, each a conditional UPDATE) and web.alerts.links (signed links). Every page works without JavaScript.
A link whose token is tampered with, expired or spent gets the same generic page, whatever was wrong with it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import parse_qsl

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from config.settings import Settings
from store.db import Database
from store.models import AlertSubscription
from store.queries.alerts import (
    confirm_subscription,
    delete_subscription,
    get_subscription,
    last_digest,
    pause_subscription,
    resume_subscription,
    set_frequency,
    set_query,
    subscription_by_feed_token,
    unsubscribe,
)
from store.search import search_postings
from web.alerts.csrf import check_csrf, csrf_token, refuse_cross_site
from web.alerts.links import Links
from web.alerts.searches import (
    FLOOD_LIMIT,
    canonical_query,
    describe,
    filters_from_args,
    filters_from_query,
)
from web.alerts.sender import FREQUENCY_LABELS
from web.alerts.subscribe import (
    Refused,
    Throttled,
    TooBroad,
    check_frequency,
    check_search,
    request_alert,
    send_soon,
)
from web.db import session
from web.params import BadParameter

bp = Blueprint("alerts", __name__, url_prefix="/alerts")

FEED_SIZE = 50
GONE = "This link is not valid: it may have expired, been used already, or been copied incompletely."


def settings() -> Settings:
    return current_app.extensions["jobsift.settings"]  # type: ignore[no-any-return]


def links() -> Links:
    found = current_app.extensions.get("jobsift.alert_links")
    if found is None:
        found = current_app.extensions["jobsift.alert_links"] = Links(settings().secret_key, settings().base_url)
    return found  # type: ignore[no-any-return]


def _now() -> datetime:
    return datetime.now(UTC)


@bp.after_request
def private(response: Response) -> Response:
    # Pages reached by a personal link: never cached, never indexed, and the token never leaves in a Referer.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.context_processor
def helpers() -> dict[str, object]:
    return {"csrf_token": csrf_token, "frequency_labels": FREQUENCY_LABELS, "flood_limit": FLOOD_LIMIT}


def _gone(status: int = 404) -> ResponseReturnValue:
    return render_template("alerts/gone.html", message=GONE), status


def _subscription(purpose: str, token: str) -> AlertSubscription | None:
    found = links().read(purpose, token)
    if found is None:
        return None
    subscription = get_subscription(session(), found[0])
    if subscription is None or subscription.link_key != found[1]:
        return None
    return subscription


def _managed(token: str) -> AlertSubscription | None:
    """The subscription a manage link names, unless it has been unsubscribed (its links are then gone)."""
    subscription = _subscription("manage", token)
    return None if subscription is None or subscription.state == "unsubscribed" else subscription


# -- subscribing --------------------------------------------------------------------------------------------------


@bp.get("/new")
def new() -> ResponseReturnValue:
    filters = filters_from_args(request.args)  # a bad parameter is a 400 page naming it
    return _form(filters)


def _form(
    filters: object,
    *,
    email: str = "",
    frequency: str = "daily",
    error: str = "",
    error_field: str = "",
    status: int = 200,
) -> ResponseReturnValue:
    weekly, refusal = None, ""
    try:
        weekly = check_search(session(), filters)  # type: ignore[arg-type]
    except TooBroad as exc:
        weekly, refusal = exc.weekly, exc.message
    except Refused as exc:
        refusal = exc.message
    query = canonical_query(filters)  # type: ignore[arg-type]
    return (
        render_template(
            "alerts/new.html",
            search=describe(filters) or ["every posting"],  # type: ignore[arg-type]
            query=query,
            search_url=url_for("search.index") + ("?" + query if query else ""),
            weekly=weekly,
            refusal=refusal,
            email=email,
            frequency=frequency,
            error=error,
            error_field=error_field,
        ),
        status,
    )


@bp.post("/new")
def new_post() -> ResponseReturnValue:
    check_csrf()
    email = request.form.get("email", "")[:400]
    frequency = request.form.get("frequency", "daily")[:20]
    filters = filters_from_query(request.form.get("search", "")[:8000])
    db: Database = current_app.extensions["jobsift.db"]
    try:
        with db.transaction() as s:
            requested = request_alert(
                s, email=email, frequency=frequency, filters=filters, client=_client(), now=_now()
            )
    except Throttled as exc:
        minutes = max(1, int((exc.until - _now()).total_seconds() // 60) + 1)
        return render_template("alerts/throttled.html", minutes=minutes), 429, {"Retry-After": str(minutes * 60)}
    except Refused as exc:
        return _form(filters, email=email, frequency=frequency, error=exc.message, error_field=exc.field, status=400)
    send_soon(db, settings(), requested.digest_id)
    return render_template("alerts/sent.html", email=email.strip().lower())


def _client() -> str:
    return (request.remote_addr or "unknown")[:64]


# -- confirming ---------------------------------------------------------------------------------------------------


@bp.get("/confirm/<token>")
def confirm(token: str) -> ResponseReturnValue:
    # A GET changes nothing: mail scanners open links. The page's button POSTs.
    subscription = _subscription("confirm", token)
    if subscription is None or subscription.state != "pending":
        return _gone()
    return render_template(
        "alerts/confirm.html", search=_describe(subscription), token=token, subscription=subscription
    )


@bp.post("/confirm/<token>")
def confirm_post(token: str) -> ResponseReturnValue:
    refuse_cross_site()
    subscription = _subscription("confirm", token)
    if subscription is None or not confirm_subscription(session(), subscription.id, _now()):
        session().rollback()
        return _gone()
    session().commit()
    return render_template(
        "alerts/confirmed.html",
        search=_describe(subscription),
        manage_url=links().path("manage", subscription),
        frequency=FREQUENCY_LABELS[subscription.frequency],
    )


# -- managing -----------------------------------------------------------------------------------------------------


@bp.get("/manage/<token>")
def manage(token: str) -> ResponseReturnValue:
    subscription = _managed(token)
    if subscription is None:
        return _gone()
    return _manage_page(subscription, token, request.args.get("done", ""))


def _manage_page(subscription: AlertSubscription, token: str, done: str = "") -> ResponseReturnValue:
    query = subscription.query
    search_args = MultiDict([*MultiDict(_pairs(query)).items(multi=True), ("alert", token)])
    return render_template(
        "alerts/manage.html",
        subscription=subscription,
        token=token,
        search=_describe(subscription),
        search_url=url_for("search.index") + ("?" + query if query else ""),
        edit_url=url_for("search.index", **search_args.to_dict(flat=False)),
        feed_url=links().feed(subscription),
        unsubscribe_url=links().path("unsubscribe", subscription),
        last=last_digest(session(), subscription.id),
        done=done,
    )


_DONE = {
    "pause": "Paused: no emails until you resume it.",
    "resume": "Resumed: new postings from now on will be emailed.",
    "frequency": "Saved: how often this alert is emailed has changed.",
    "filters": "Saved: this alert now uses the filters you chose, from now on.",
}


@bp.post("/manage/<token>")
def manage_post(token: str) -> ResponseReturnValue:
    refuse_cross_site()
    subscription = _managed(token)
    if subscription is None:
        return _gone()
    action = request.form.get("action", "")
    s = session()
    if action == "pause":
        pause_subscription(s, subscription.id, None)
    elif action == "resume":
        resume_subscription(s, subscription.id)
    elif action == "frequency":
        try:
            set_frequency(s, subscription.id, check_frequency(request.form.get("frequency", "")))
        except Refused as exc:
            abort(400, exc.message)
    elif action == "delete":
        delete_subscription(s, subscription.id)
        s.commit()
        return render_template("alerts/deleted.html")
    else:
        abort(400, "Unknown action.")
    s.commit()
    s.refresh(subscription)
    return _manage_page(subscription, token, _DONE[action])


@bp.post("/manage/<token>/filters")
def save_filters(token: str) -> ResponseReturnValue:
    """ "Save these filters", from the search page opened through the manage page's "change the filters"."""
    refuse_cross_site()
    subscription = _managed(token)
    if subscription is None:
        return _gone()
    filters = filters_from_query(request.form.get("search", "")[:8000])
    try:
        check_search(session(), filters)
    except Refused as exc:
        return render_template("alerts/refused.html", message=exc.message, back=url_for(".manage", token=token)), 400
    set_query(session(), subscription.id, canonical_query(filters))
    session().commit()
    session().refresh(subscription)
    return _manage_page(subscription, token, _DONE["filters"])


# -- unsubscribing ------------------------------------------------------------------------------------------------


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str) -> ResponseReturnValue:
    # Mail scanners and link previews open every link: a GET only asks.
    found = links().read("unsubscribe", token)
    if found is None:
        return _gone()
    subscription = _subscription("unsubscribe", token)
    return render_template(
        "alerts/unsubscribe.html",
        token=token,
        search=_describe(subscription) if subscription else [],
        ended=subscription is None or subscription.state == "unsubscribed",
    )


@bp.post("/unsubscribe/<token>")
def unsubscribe_post(token: str) -> ResponseReturnValue:
    """RFC 8058 one-click: a POST without cookies or a form token unsubscribes, answers 200 (no redirect), and may be
    repeated. A genuine token for an alert deleted since is answered the same way: no more email will come."""
    if links().read("unsubscribe", token) is None:
        return _gone()
    subscription = _subscription("unsubscribe", token)
    if subscription is not None:
        unsubscribe(session(), subscription.id)
        session().commit()
    return render_template("alerts/unsubscribed.html"), 200


# -- the private feed ---------------------------------------------------------------------------------------------


@bp.get("/feed/<feed_token>.atom")
def feed(feed_token: str) -> ResponseReturnValue:
    subscription = subscription_by_feed_token(session(), feed_token[:100])
    if subscription is None or subscription.state not in ("active", "paused"):
        abort(404, description="There is no feed at this address.")
    try:
        filters = replace(filters_from_query(subscription.query), sort="newest")
    except BadParameter:
        abort(404, description="There is no feed at this address.")
    page = search_postings(session(), filters, page=1, per_page=FEED_SIZE)
    self_url = links().feed(subscription)
    updated = max((p.updated_at for p in page.items), default=subscription.created_at)
    body = render_template(
        "feeds/search.atom.xml",  # the site's own Atom rendering (web/feeds)
        postings=page.items,
        filters=filters,
        updated=updated,
        self_url=self_url,
        page_url=links().search(subscription.query),
        feed_id=self_url,
    )
    return Response(body, mimetype="application/atom+xml")


def _describe(subscription: AlertSubscription) -> list[str]:
    try:
        return describe(filters_from_query(subscription.query)) or ["every posting"]
    except BadParameter as exc:
        return [f"filters that are no longer valid ({exc})"]


def _pairs(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True)
