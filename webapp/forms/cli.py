"""``flask submissions purge --older-than 90d``: deletes submissions that are due."""

from __future__ import annotations

import datetime as dt
import logging
import re

import click
from flask.cli import AppGroup

from . import models

log = logging.getLogger(__name__)
submissions_cli = AppGroup("submissions", help="Stored form submissions.")

UNITS = {"d": "days", "h": "hours"}


class AgeType(click.ParamType):
    """An age such as ``90d`` (days) or ``12h`` (hours)."""

    name = "age"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.timedelta):
            return value
        match = re.fullmatch(r"([0-9]{1,5})([dh])", str(value).strip())
        if not match:
            self.fail(f"{value!r} is not an age like 90d or 12h", param, ctx)
        return dt.timedelta(**{UNITS[match[2]]: int(match[1])})


@submissions_cli.command("purge")
@click.option(
    "--older-than",
    "older_than",
    type=AgeType(),
    default="90d",
    show_default=True,
    help="Delete submissions older than this (e.g. 90d, 12h).",
)
def purge_command(older_than: dt.timedelta) -> None:
    """Delete form submissions older than the given age (the privacy notice promises 90 days)."""
    deleted = models.purge(older_than)
    log.info("purged %d submissions older than %s", deleted, older_than)
    click.echo(f"Deleted {deleted} submission(s) older than {older_than.days} days.")
