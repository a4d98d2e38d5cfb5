"""The audit log page: every admin action with who, what, which target, when, and what changed."""

from __future__ import annotations

from flask.testing import FlaskClient

from store.db import Database
from tests.web.admin.helpers import audit_log, post, sign_in


def test_actions_are_listed_newest_first_with_their_changes(admin_client: FlaskClient, db: Database) -> None:
    post(admin_client, "/admin/sources/acme-board/pause")
    post(admin_client, "/admin/sources/acme-board/resume")
    page = admin_client.get("/admin/audit")
    assert page.status_code == 200
    text = page.text.split("<tbody>")[1]
    assert text.index(">resume<") < text.index(">pause<") < text.index(">login<")
    assert "ada@example.com" in text and "from 127.0.0.1" in text
    assert '<a href="/admin/audit?target=source:acme-board">source:acme-board</a>' in text
    # The change the pause made, old value struck out, new one beside it.
    assert '<code>pause_reason</code>: <del>null</del> → <ins>"paused by ada@example.com"</ins>' in text


def test_filters_by_action_and_target(admin_client: FlaskClient, client: FlaskClient) -> None:
    post(admin_client, "/admin/sources/acme-board/crawl")
    sign_in(client, "mallory@example.com", "wrong guess here")
    by_action = admin_client.get("/admin/audit?action=login_failed").text
    assert "mallory@example.com" in by_action and "crawl now" not in by_action.split("<tbody>")[1]
    by_target = admin_client.get("/admin/audit?target=source:acme-board").text
    assert ">crawl now<" in by_target and "mallory" not in by_target


def test_logins_and_logouts_are_audited(admin_client: FlaskClient, db: Database) -> None:
    post(admin_client, "/admin/logout")
    assert [e.action for e in audit_log(db)] == ["login", "logout"]
    assert all(e.actor == "ada@example.com" and e.client == "127.0.0.1" for e in audit_log(db))
