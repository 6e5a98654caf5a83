"""A synthetic corpus for the scale benchmark: N news items (five paragraphs each) added to a
TEMPORARY copy of ``content/`` (and of ``translations/``), never to the repository's own.

    python scripts/generate_news.py 2000            # prints the new folder
    python scripts/generate_news.py 8000 --target /tmp/corpus

The items are deterministic (seeded): the same N gives the same files. The copy holds
``content/`` and ``translations/`` side by side; point the portal at it with
``SOZIALBERICHTE_CONTENT_DIR`` and ``SOZIALBERICHTE_TRANSLATIONS_DIR``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORDS = [
    "Sozialbericht",
    "Kommune",
    "Kreis",
    "Quartier",
    "Armut",
    "Teilhabe",
    "Familie",
    "Kinder",
    "Jugendliche",
    "Senioren",
    "Pflege",
    "Wohnen",
    "Einkommen",
    "Arbeit",
    "Bildung",
    "Gesundheit",
    "Integration",
    "Beratung",
    "Förderung",
    "Daten",
    "Statistik",
    "Analyse",
    "Landesregierung",
    "Ministerium",
    "Netzwerk",
    "Projekt",
    "Fachtag",
    "Ergebnis",
    "Bericht",
    "Lebenslage",
    "Sozialplanung",
    "Prävention",
    "Ehrenamt",
    "Inklusion",
    "Barrierefreiheit",
    "Mobilität",
    "Stadtteil",
    "Region",
    "Nordrhein-Westfalen",
    "Düsseldorf",
    "Köln",
    "Dortmund",
    "Essen",
    "Münster",
    "Bielefeld",
    "Beteiligung",
    "Strategie",
    "Evaluation",
    "Kennzahl",
    "Befragung",
    "Studie",
    "Handlungsfeld",
    "Maßnahme",
]
FILLER = [
    "und",
    "mit",
    "für",
    "über",
    "die",
    "der",
    "das",
    "im",
    "in",
    "von",
    "zu",
    "auf",
    "bei",
    "wird",
    "werden",
    "wurde",
    "hat",
    "haben",
    "zeigt",
    "neue",
    "aktuelle",
    "wichtige",
    "regionale",
    "gemeinsame",
    "erste",
    "weitere",
    "kommunale",
    "soziale",
]


def sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS if i % 3 == 0 else FILLER) for i in range(length)]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(3, 5)))


def news_item(number: int, rng: random.Random) -> tuple[str, str]:
    """``(file name, text)`` of item ``number``."""
    date = dt.date(2010, 1, 1) + dt.timedelta(days=(number * 37) % 5800)
    title = f"Meldung {number}: {rng.choice(WORDS)} und {rng.choice(WORDS)} im Blick"
    summary = sentence(rng, 14)
    body = "\n\n".join(paragraph(rng) for _ in range(5))
    text = f'---\ntitle: "{title}"\ndate: {date.isoformat()}\nsummary: "{summary}"\n---\n{body}\n'
    return f"meldung-{number:05d}.md", text


def generate(count: int, target: Path | None = None, seed: int = 14, source: Path = ROOT) -> Path:
    """Copy ``content/`` and ``translations/`` into ``target`` (a new temporary folder by
    default) and add ``count`` news items; returns ``target``."""
    target = Path(target or tempfile.mkdtemp(prefix="sozialberichte-corpus-"))
    if (ROOT / "content").resolve() in [target.resolve(), *target.resolve().parents]:
        raise SystemExit("refusing to write into the repository's content/")
    if target.resolve() == ROOT.resolve():
        raise SystemExit("refusing to write into the repository")
    content = target / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(source / "content", content)
    translations = target / "translations"
    if translations.exists():
        shutil.rmtree(translations)
    # What is committed, not what a local build left (compiled files and their stamps).
    local = shutil.ignore_patterns("*.mo", "*.list", "interface-sources.json", "content-stat.json")
    shutil.copytree(source / "translations", translations, ignore=local)
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    folder = content / "aktuelles"
    for number in range(1, count + 1):
        name, text = news_item(number, rng)
        (folder / name).write_text(text, "utf-8")
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=2000)
    parser.add_argument("--target", type=Path, default=None, help="a new temporary folder")
    args = parser.parse_args(argv)
    print(generate(args.count, args.target))
    return 0


if __name__ == "__main__":
    sys.exit(main())
