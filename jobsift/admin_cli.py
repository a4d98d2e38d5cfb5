"""``jobsift admin ...``: the accounts that may sign in to the web admin at /admin.

Passwords are typed at a prompt (twice), never passed as arguments, so they stay out of shell history and process
lists. A weak one is refused with the reason (see ``store.queries.admin.password_problem``).
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import click

from store.db import Database
from store.queries.admin import (
    AdminProblem,
    create_admin,
    find_admin,
    list_admins,
    password_problem,
    record_audit,
    set_admin_password,
)


@contextmanager
def _database() -> Iterator[Database]:
    from jobsift.cli import _database, _settings

    database = _database(_settings())
    try:
        yield database
    finally:
        database.dispose()


def _actor() -> str:
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):
        return "command line"


def _prompt_password(email: str) -> str:
    def check(value: str) -> str:
        problem = password_problem(email, value)
        if problem:
            raise click.BadParameter(problem)
        return value

    password: str = click.prompt(
        "Password (at least 12 characters)", hide_input=True, confirmation_prompt=True, value_proc=check
    )
    return password


@click.group()
def admin() -> None:
    """Accounts of the web admin (/admin)."""


@admin.command("create")
@click.argument("email")
def admin_create(email: str) -> None:
    """Create an admin account; prompts twice for its password."""
    with _database() as database:
        with database.transaction() as session:
            if find_admin(session, email) is not None:
                raise click.ClickException(f"there is already an admin {email.strip().lower()}")
        password = _prompt_password(email)
        now = datetime.now(UTC)
        with database.transaction() as session:
            try:
                created = create_admin(session, email, password, now)
            except AdminProblem as exc:
                raise click.ClickException(str(exc)) from None
            record_audit(session, action="admin_create", actor=_actor(), target=f"admin:{created.email}", now=now)
        click.echo(f"created admin {created.email}; sign in at /admin/login")


@admin.command("set-password")
@click.argument("email")
def admin_set_password(email: str) -> None:
    """Give an admin a new password (prompts twice); the admin's open sessions end."""
    with _database() as database:
        with database.transaction() as session:
            if find_admin(session, email) is None:
                raise click.ClickException(f"no admin {email.strip().lower()}")
        password = _prompt_password(email)
        now = datetime.now(UTC)
        with database.transaction() as session:
            account = find_admin(session, email)
            if account is None:
                raise click.ClickException(f"no admin {email.strip().lower()}")
            try:
                set_admin_password(account, password, now)
            except AdminProblem as exc:
                raise click.ClickException(str(exc)) from None
            record_audit(session, action="admin_set_password", actor=_actor(), target=f"admin:{account.email}", now=now)
        click.echo(f"new password set for {account.email}; its sessions have ended")


@admin.command("remove")
@click.argument("email")
def admin_remove(email: str) -> None:
    """Delete an admin account (its audit entries stay, under its address)."""
    with _database() as database, database.transaction() as session:
        account = find_admin(session, email)
        if account is None:
            raise click.ClickException(f"no admin {email.strip().lower()}")
        now = datetime.now(UTC)
        record_audit(session, action="admin_remove", actor=_actor(), target=f"admin:{account.email}", now=now)
        session.delete(account)
        click.echo(f"removed admin {account.email}")


@admin.command("list")
def admin_list() -> None:
    """Every admin account, with its last login and failed logins since."""
    with _database() as database, database.transaction() as session:
        accounts = list_admins(session)
        if not accounts:
            click.echo("no admins yet; create one with `jobsift admin create EMAIL`")
            return
        click.echo(f"{'email':40} {'created':16} {'last login':16} {'failed':>6}")
        for a in accounts:
            last = a.last_login_at.strftime("%Y-%m-%d %H:%M") if a.last_login_at else "never"
            click.echo(f"{a.email[:40]:40} {a.created_at.strftime('%Y-%m-%d %H:%M'):16} {last:16} {a.failed_logins:6}")
