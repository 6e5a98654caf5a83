"""``flask editor add NAME`` and ``flask editor export``."""

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

cli = AppGroup("editor", help="Accounts of the editors' area and its translations.")


@cli.command("add")
@click.argument("name")
def add(name: str) -> None:
    """Create an editor account; the password is asked twice."""
    if db.session.scalar(select(Editor).filter_by(name=name)) is not None:
        raise click.ClickException(f"an editor named {name!r} exists already")
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        auth.create_editor(name, password)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"editor {name!r} created")


@cli.command("export")
@click.option("--locale", "locales", multiple=True, type=click.Choice(EDITABLE))
def export_command(locales: tuple[str, ...]) -> None:
    """Write the translations saved in the browser into translations/*.po (and .mo), so they
    can be committed. Run it before `make translations`."""
    for code in locales or EDITABLE:
        count = export(current_app, code)
        click.echo(f"{code}: {count} browser edits written")
