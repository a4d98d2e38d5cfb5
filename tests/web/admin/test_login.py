"""Signing in: one answer for an unknown address and a wrong password, a dummy hash for the unknown, and the
audit log records both outcomes."""

from __future__ import annotations

import pytest
from argon2 import Type
from flask import Flask
from flask.testing import FlaskClient

from store.db import Database
from store.queries import admin as admin_queries
from tests.web.admin.conftest import PRODUCTION_HASHER
from tests.web.admin.helpers import ADA, PASSWORD, audit_log, sign_in

WRONG = "Wrong e-mail address or password."


def test_admin_pages_need_a_signed_in_admin(client: FlaskClient) -> None:
    for path in ("/admin/", "/admin/sources", "/admin/sources/new", "/admin/audit", "/admin/sources/export"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/admin/login")
    login = client.get("/admin/login")
    assert login.status_code == 200
    assert '<label for="email">' in login.text and '<label for="password">' in login.text
    assert login.headers["Cache-Control"] == "no-store"


def test_unknown_address_and_wrong_password_get_the_same_answer(
    client: FlaskClient, ada: int, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[str | None] = []
    real = admin_queries.HASHER

    class Spy:
        def hash(self, password: str) -> str:
            return real.hash(password)

        def verify(self, hash_: str, password: str) -> bool:
            verified.append(hash_)
            return real.verify(hash_, password)

    monkeypatch.setattr(admin_queries, "HASHER", Spy())
    unknown = sign_in(client, "nobody@example.com", PASSWORD)
    wrong = sign_in(client, ADA, "not the password at all")
    assert unknown.status_code == wrong.status_code == 401
    assert WRONG in unknown.text and WRONG in wrong.text
    # The pages differ only in the address typed back into the form.
    assert unknown.text.replace("nobody@example.com", ADA) == wrong.text
    # An unknown address is still checked against a (dummy) argon2id hash, so it takes as long.
    assert len(verified) == 2 and all(h and h.startswith("$argon2id$") for h in verified)
    assert [e.actor for e in audit_log(db, "login_failed")] == ["nobody@example.com", ADA]


def test_a_right_password_signs_in_and_is_recorded(client: FlaskClient, ada: int, db: Database) -> None:
    response = sign_in(client, " ADA@Example.com ", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/sources"
    page = client.get("/admin/sources")
    assert page.status_code == 200 and ADA in page.text
    [entry] = audit_log(db, "login")
    assert entry.actor == ADA and entry.admin_id == ada and entry.client == "127.0.0.1"
    # Signed in, the login page sends the admin on.
    assert client.get("/admin/login").status_code == 302


def test_empty_fields_are_explained(client: FlaskClient) -> None:
    response = sign_in(client, "", "")
    assert response.status_code == 400
    assert "Enter your e-mail address and your password." in response.text


def test_passwords_are_stored_as_argon2id_hashes(app: Flask, ada: int, db: Database) -> None:
    with db.transaction() as s:
        account = admin_queries.get_admin(s, ada)
        assert account is not None
        assert account.password_hash.startswith("$argon2id$") and PASSWORD not in account.password_hash


def test_the_production_hasher_is_argon2id_with_rfc_9106_costs() -> None:
    hasher = PRODUCTION_HASHER
    assert hasher.type is Type.ID and hasher.memory_cost >= 64 * 1024 and hasher.time_cost >= 3
    assert hasher.hash("x").startswith("$argon2id$")
