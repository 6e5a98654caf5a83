"""``flask translations …``: how complete each catalog is, and the Leichte Sprache check.

``flask translations status`` prints, per locale and per content file (interface strings from
templates and Python together as one line), how many texts are translated, fuzzy (the German
source changed since: shown in German until an editor confirms) and untranslated.
``flask translations check-ls`` runs the Leichte Sprache checker over the ``de@ls`` catalog.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass

import click
from babel.messages.catalog import Catalog
from flask import current_app
from flask.cli import AppGroup

from . import LANGUAGES, SOURCE, translations_dir
from .catalogs import read_language
from .leichte_sprache import HARD, check
from .ls_rules import check_terms

translations_cli = AppGroup("translations", help="Übersetzungen: Stand und Prüfung.")
INTERFACE = "Oberfläche (Vorlagen und Python)"


@dataclass
class Counts:
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    def add(self, state: str) -> None:
        setattr(self, state, getattr(self, state) + 1)

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated


def read_catalog(directory: str, code: str) -> Catalog | None:
    """The interface catalog and every document catalog of ``code`` as one."""
    return read_language(directory, code)


def message_state(message) -> str:
    if message.fuzzy:
        return "fuzzy"
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return "translated" if all(strings) else "untranslated"


def catalog_status(directory: str, code: str) -> dict[str, Counts]:
    """``{file: Counts}`` for one locale; content files by path, interface strings together,
    and ``"*"`` for the whole catalog (a text used in several files counts once there)."""
    catalog = read_catalog(directory, code)
    status: dict[str, Counts] = defaultdict(Counts)
    if catalog is None:
        return dict(status)
    for message in catalog:
        if not message.id:
            continue
        state = message_state(message)
        status["*"].add(state)
        files = {path for path, _line in message.locations}
        groups = {f for f in files if f.startswith("content/")}
        if files - groups or not files:
            groups.add(INTERFACE)
        for group in groups:
            status[group].add(state)
    return dict(status)


@translations_cli.command("status")
def status_command() -> None:
    """Translated, fuzzy and untranslated texts per locale and content file."""
    directory = translations_dir(current_app)
    click.echo(f"Quelle: {SOURCE.code} ({SOURCE.name}), Kataloge in {os.path.abspath(directory)}")
    for language in LANGUAGES:
        if language == SOURCE:
            continue
        status = catalog_status(directory, language.code)
        click.echo("")
        if not status:
            click.echo(f"{language.code} ({language.name}): kein Katalog")
            continue
        total = status.pop("*")
        click.echo(
            f"{language.code} ({language.name}): {total.translated} übersetzt, "
            f"{total.fuzzy} unscharf (fuzzy), {total.untranslated} unübersetzt"
        )
        width = max(len(name) for name in status)
        for name in sorted(status, key=lambda n: (n != INTERFACE, n)):
            counts = status[name]
            click.echo(
                f"  {name:<{width}}  {counts.translated:>4} übersetzt  {counts.fuzzy:>3} fuzzy"
                f"  {counts.untranslated:>3} unübersetzt"
            )


@translations_cli.command("check-ls")
def check_ls_command() -> None:
    """Run the Leichte Sprache checker over the de@ls catalog (exit 1 on hard findings)."""
    catalog = read_catalog(translations_dir(current_app), "de@ls")
    if catalog is None:
        raise click.ClickException("kein Katalog für de@ls")
    hard = 0
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        for finding in (f for text in strings for f in check(text) + check_terms(source, text)):
            hard += finding.severity == HARD
            where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
            click.echo(
                f"{finding.severity:4}  {finding.rule:<22} {where}\n"
                f"      „{finding.excerpt[:70]}“ → {finding.suggestion}"
            )
    if hard:
        raise click.ClickException(f"{hard} harte Regelverstöße")
