"""Saved searches with email alerts (issue 7): subscribe from a search, double opt-in, digests, manage and one-click
unsubscribe, a private feed, and ``POST /api/v1/alerts``. Matching and sending run in the scheduler process
(:mod:`web.alerts.runner`, wired by ``jobsift/``), never in a web worker; the web only sends a confirmation right
after its form, and leaves it to the scheduler if the mail server can't take it then.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, request, url_for

from web.alerts.searches import saved_args


def alert_links() -> dict[str, str]:
    """For the search page: where "Email me new matches" goes with this search's parameters, and, when the page was
    opened from an alert's manage page (``alert=<token>``), where "save these filters" posts and what."""
    args = saved_args(request.args)
    links = {"new_url": url_for("alerts.new", **args.to_dict(flat=False))}
    token = request.args.get("alert", "")
    if token and len(token) <= 500:
        links["token"] = token
        links["save_url"] = url_for("alerts.save_filters", token=token)
        links["query"] = urlencode(list(args.items(multi=True)))
    return links


def init_app(app: Flask) -> None:
    from web.alerts import api, devmail, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    if app.extensions["jobsift.settings"].smtp is None:
        app.register_blueprint(devmail.bp)
    app.add_template_global(alert_links, "alert_links")
