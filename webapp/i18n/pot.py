"""Writing ``translations/messages.pot``: one set of extraction options for ``make
translations`` and for the test that fails when the committed template is out of date.

Run as ``python -m webapp.i18n.pot [OUTPUT]`` from the project root.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POT = ROOT / "translations" / "messages.pot"
KEYWORDS = ("_", "gettext", "ngettext:1,2", "lazy_gettext", "_l")
#: The header line that changes on every extraction and says nothing about the messages.
VOLATILE_HEADER = re.compile(r'^"POT-Creation-Date: .*\\n"$', re.MULTILINE)
REFERENCES = re.compile(r"^#: .*$", re.MULTILINE)
LINE_NUMBER = re.compile(r":\d+(?=\s|$)")
#: Folders the extraction does not enter (by name, ``fnmatch`` patterns).
IGNORE_DIRS = (".*", "_*", "node_modules", "static", "instance", "tests", "translations")


def extract(output: Path = POT, root: Path = ROOT) -> Path:
    """Extract the interface strings of the project at ``root`` (its ``babel.cfg``) into
    ``output``."""
    argv = ["--quiet", "extract", "-F", str(Path(root) / "babel.cfg")]
    for keyword in KEYWORDS:
        argv += ["-k", keyword]
    argv += [
        "--add-comments=Translators:",
        "--no-wrap",
        "--project=Sozialberichte NRW",
        "--version=1",
        "--copyright-holder=Ministerium für Arbeit, Gesundheit und Soziales NRW",
        "--ignore-dirs=" + " ".join(IGNORE_DIRS),
        "-o",
        str(output),
        ".",
    ]
    # Locations in the template are relative to the project root.
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *argv], cwd=root, check=True)
    return output


def comparable(pot_text: str) -> str:
    """The template without its creation date, the year-stamped header comments and the
    line numbers of references: messages, comments and files must match; a message that
    moved a few lines within its file does not make the template stale."""
    body = pot_text[pot_text.find("msgid") :] if "msgid" in pot_text else pot_text
    body = VOLATILE_HEADER.sub("", body)
    return REFERENCES.sub(lambda m: LINE_NUMBER.sub("", m.group()), body)


def is_current(committed: Path = POT, fresh: Path | None = None) -> bool:
    """Whether ``committed`` equals a fresh extraction (apart from the creation date)."""
    if not committed.exists():
        return False
    fresh = fresh or extract(committed.with_suffix(".fresh.pot"))
    try:
        return comparable(committed.read_text("utf-8")) == comparable(fresh.read_text("utf-8"))
    finally:
        if fresh.name.endswith(".fresh.pot"):
            fresh.unlink(missing_ok=True)


if __name__ == "__main__":
    extract(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else POT)
