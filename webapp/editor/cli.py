"""``flask editor add NAME [--role redaktion|freigabe]``, ``password NAME``, ``purge`` and
``export``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..db import db
from . import auth
from .catalog import EDITABLE
from .exchange import export
from .models import Editor
from .roles import REDAKTION, ROLES

cli = AppGroup("editor", help="Accounts of the editors' area and its translations.")


@cli.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default=REDAKTION,
    show_default=True,
    help="redaktion writes and submits; freigabe also publishes (four-eyes principle)",
)
def add(name: str, role: str) -> None:
    """Create an editor account; the password is asked twice."""
    if db.session.scalar(select(Editor).filter_by(name=name)) is not None:
        raise click.ClickException(f"an editor named {name!r} exists already")
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        auth.create_editor(name, password, role)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"editor {name!r} created ({role})")


@cli.command("password")
@click.argument("name")
def password_command(name: str) -> None:
    """Set a new password (asked twice); every session of the account ends."""
    if db.session.scalar(select(Editor).filter_by(name=name)) is None:
        raise click.ClickException(f"no editor named {name!r}")
    password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        ended = auth.change_password(name, password)
    except (ValueError, LookupError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"password of {name!r} changed; {ended} session(s) ended")


@cli.command("purge")
def purge_command() -> None:
    """Delete login attempts past their retention (they hold IP addresses) and expired
    sessions. Logins do it too; run this daily (cron) so nothing outlives the period."""
    attempts = auth.purge_attempts()
    sessions = auth.purge_sessions()
    db.session.commit()
    days = int(current_app.config.get("EDITOR_ATTEMPT_RETENTION_DAYS", 7))
    click.echo(
        f"Deleted {attempts} login attempt(s) older than {days} days "
        f"and {sessions} expired session(s)."
    )


@cli.command("export")
@click.option("--locale", "locales", multiple=True, type=click.Choice(EDITABLE))
def export_command(locales: tuple[str, ...]) -> None:
    """Write the translations saved in the browser into translations/*.po (and .mo), so they
    can be committed. Run it before `make translations`."""
    for code in locales or EDITABLE:
        count = export(current_app, code)
        click.echo(f"{code}: {count} browser edits written")
