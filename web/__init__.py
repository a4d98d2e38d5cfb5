"""The Flask site: search pages for people, a JSON API for scripts. Handed its settings; imports no crawler code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, g
from werkzeug.middleware.proxy_fix import ProxyFix

from config.settings import Settings, load_settings
from store.db import Database
from store.migrate import ensure_schema
from store.search import SearchCache, SearchIndex
from web.admin.preview import PreviewRunner, SubprocessPreview
from web.admin.security import SessionCookies


def create_app(
    settings: Settings | None = None,
    test_config: Mapping[str, Any] | None = None,
    *,
    preview: PreviewRunner | None = None,
) -> Flask:
    """The site. ``preview`` runs the admin's feed previews; by default a child process (see web.admin.preview)."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=1024 * 1024,
        # Only the admin has a session. HttpOnly and SameSite=Lax always; Secure whenever the request is HTTPS.
        SESSION_COOKIE_NAME="jobsift_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.session_interface = SessionCookies()
    if settings.trusted_proxies:
        # Behind N reverse proxies: the client's address and scheme are the ones they report.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies
        )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    if test_config:
        app.config.update(test_config)

    db = Database(settings.database_url)
    ensure_schema(db.engine)
    app.extensions["jobsift.db"] = db
    app.extensions["jobsift.settings"] = settings
    # Counts, facet counts and result page ids of searches, per process, kept fresh by the store's version; computed
    # from the process's column index once it has loaded (store/search/index.py).
    app.extensions["jobsift.search_cache"] = SearchCache(index=SearchIndex() if settings.search_index else None)

    @app.teardown_appcontext
    def close_session(_exc: BaseException | None) -> None:
        for name in ("db_session", "db_read_session"):
            session = g.pop(name, None)
            if session is not None:
                session.close()

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    from web import errors
    from web.admin import init_app as init_admin
    from web.alerts import init_app as init_alerts
    from web.api.views import bp as api_bp
    from web.api.views import docs as api_docs_bp
    from web.feeds.views import bp as feeds_bp
    from web.health import bp as health_bp
    from web.insights.views import bp as insights_bp
    from web.search.views import bp as search_bp

    app.register_blueprint(search_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(api_docs_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(insights_bp)
    app.register_blueprint(health_bp)
    init_admin(app, preview or SubprocessPreview.from_settings(settings))
    init_alerts(app)
    errors.register(app)
    app.jinja_env.filters["remote_label"] = _remote_label
    return app


_REMOTE_LABELS = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site", "unknown": "Not stated"}


def _remote_label(value: str) -> str:
    return _REMOTE_LABELS.get(value, value)
