"""`jobsift admin create | set-password | list | remove`: passwords typed twice at a prompt, weak ones refused with
the reason."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result
from flask.testing import FlaskClient

from config.settings import Settings
from jobsift.cli import main
from store.db import Database
from store.queries.admin import find_admin, verify_password
from tests.web.admin.helpers import audit_log, sign_in

GOOD = "plum orbit lantern 42"


def admin(settings: Settings, *args: str, typed: str = "") -> Result:
    return CliRunner().invoke(main, ["admin", *args], input=typed, env=settings.child_environ())


def test_create_prompts_twice_and_stores_an_argon2id_hash(settings: Settings, db: Database) -> None:
    result = admin(settings, "create", "Ada@Example.com", typed=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert "created admin ada@example.com" in result.output
    assert GOOD not in result.output  # the prompt doesn't echo it
    with db.transaction() as s:
        account = find_admin(s, "ada@example.com")
        assert account is not None and account.password_hash.startswith("$argon2id$")
        assert verify_password(account.password_hash, GOOD)
    assert [e.action for e in audit_log(db)] == ["admin_create"]


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short pass", "at least 12 characters (this one has 10)"),
        ("Password1234!", "one of the most common ones"),
        ("123456789012", "only digits and symbols"),
        ("qwertyuiop123", "one of the most common ones"),
        ("aaaaaaaaaaaaaa", "one character repeated"),
        ("ada.lovelace-rules-2026", "contains the name of the e-mail address ('ada.lovelace')"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(
    settings: Settings, db: Database, password: str, reason: str
) -> None:
    result = admin(settings, "create", "ada.lovelace@example.com", typed=f"{password}\n{password}\n")
    assert result.exit_code != 0
    assert reason in result.output
    with db.transaction() as s:
        assert find_admin(s, "ada.lovelace@example.com") is None


def test_the_two_entries_must_match(settings: Settings, db: Database) -> None:
    result = admin(settings, "create", "ada@example.com", typed=f"{GOOD}\n{GOOD}x\n")
    assert result.exit_code != 0 and "do not match" in result.output
    with db.transaction() as s:
        assert find_admin(s, "ada@example.com") is None


def test_bad_or_taken_addresses_are_refused(settings: Settings) -> None:
    bad = admin(settings, "create", "not-an-address", typed=f"{GOOD}\n{GOOD}\n")
    assert bad.exit_code == 1 and "'not-an-address' is not an e-mail address" in bad.output
    assert admin(settings, "create", "ada@example.com", typed=f"{GOOD}\n{GOOD}\n").exit_code == 0
    taken = admin(settings, "create", "ADA@example.com")
    assert taken.exit_code == 1 and "there is already an admin ada@example.com" in taken.output


def test_set_password_ends_the_sessions_and_list_shows_accounts(
    settings: Settings, client: FlaskClient, db: Database
) -> None:
    assert admin(settings, "create", "ada@example.com", typed=f"{GOOD}\n{GOOD}\n").exit_code == 0
    assert sign_in(client, "ada@example.com", GOOD).status_code == 302
    assert client.get("/admin/sources").status_code == 200
    weak = admin(settings, "set-password", "ada@example.com", typed="tiny\ntiny\n")
    assert weak.exit_code != 0 and "at least 12 characters" in weak.output
    new = "a different long passphrase"
    result = admin(settings, "set-password", "ada@example.com", typed=f"{new}\n{new}\n")
    assert result.exit_code == 0 and "its sessions have ended" in result.output
    assert client.get("/admin/sources").status_code == 302
    assert sign_in(client, "ada@example.com", new).status_code == 302
    listed = admin(settings, "list")
    assert listed.exit_code == 0 and "ada@example.com" in listed.output
    missing = admin(settings, "set-password", "nobody@example.com")
    assert missing.exit_code == 1 and "no admin nobody@example.com" in missing.output


def test_remove_deletes_the_account_but_keeps_its_audit_entries(
    settings: Settings, client: FlaskClient, db: Database
) -> None:
    assert admin(settings, "create", "ada@example.com", typed=f"{GOOD}\n{GOOD}\n").exit_code == 0
    assert sign_in(client, "ada@example.com", GOOD).status_code == 302
    assert admin(settings, "remove", "ada@example.com").exit_code == 0
    assert client.get("/admin/sources").status_code == 302
    assert "no admins yet" in admin(settings, "list").output
    assert [e.action for e in audit_log(db)] == ["admin_create", "login", "admin_remove"]
    assert audit_log(db, "login")[0].actor == "ada@example.com"
