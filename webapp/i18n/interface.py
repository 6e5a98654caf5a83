"""The interface catalogs (``messages.pot``, ``<locale>/LC_MESSAGES/messages.po`` and
``messages.mo``), brought up to date only when something they are made from changed.

``make translations`` used to extract the interface strings, run ``pybabel update`` for every
language and compile every ``messages.po`` on each run, also when only a content document had
changed. Now each step runs when its inputs differ from the stamp
``translations/interface-sources.json`` (local, not committed):

* extraction (:func:`webapp.i18n.pot.extract`) when a file it reads (``babel.cfg``'s
  patterns, below the folders it enters), ``babel.cfg``, ``pot.py`` or the Babel/Jinja2
  version changed, or when ``messages.pot`` is not the file the last run left (deleted, edited,
  checked out). A template that differs from the one on disk only in its creation date is
  not written (no change, no diff);
* ``pybabel update`` of a language when ``messages.pot`` or its ``messages.po`` is not the pair
  of files the last update of that language left (a hand-edited ``.po`` is updated again);
* ``pybabel compile`` of a language when its ``messages.mo`` was not made from the
  ``messages.po`` on disk by the last run (deleted or changed ``.mo``, changed ``.po``).

The stamp holds content hashes, never times, so a stale stamp cannot hide a change: every
check compares with the files on disk.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from . import pot as pot_module

ROOT = pot_module.ROOT
DOMAIN = "messages"
STAMP = "interface-sources.json"
#: Raise when what the stamp means changes: every step runs again once.
STAMP_VERSION = 1


def file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _method_map(root: Path) -> list[tuple[str, str]]:
    from babel.messages.frontend import parse_mapping_cfg

    with open(root / "babel.cfg", encoding="utf-8") as handle:
        method_map, _options = parse_mapping_cfg(handle)
    return method_map


def extraction_inputs(root: Path = ROOT) -> list[Path]:
    """The files ``pybabel extract -F babel.cfg`` reads, found as it finds them: it walks
    the project without the ignored folders, and the first pattern of ``babel.cfg`` that
    matches a file decides (``ignore`` or an extraction method)."""
    from babel.messages.extract import pathmatch

    method_map = _method_map(root)
    found = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not any(fnmatch.fnmatch(d, pattern) for pattern in pot_module.IGNORE_DIRS)
        )
        for filename in sorted(filenames):
            relative = os.path.relpath(os.path.join(folder, filename), root).replace(os.sep, "/")
            method = next((m for p, m in method_map if pathmatch(p, relative)), None)
            if method is not None and method != "ignore":
                found.append(Path(folder) / filename)
    return found


def inputs_hash(root: Path = ROOT) -> str:
    """One hash of everything the extraction depends on."""
    import babel
    import jinja2

    digest = hashlib.sha256()
    version = f"{STAMP_VERSION} babel {babel.__version__} jinja2 {jinja2.__version__} "
    digest.update(f"{version}python {sys.version_info[0]}.{sys.version_info[1]}".encode())
    for path in (root / "babel.cfg", Path(pot_module.__file__), *extraction_inputs(root)):
        name = os.path.relpath(path, root).replace(os.sep, "/")
        data = path.read_bytes()
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def read_stamp(directory: Path) -> dict:
    try:
        stamp = json.loads((Path(directory) / STAMP).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) and stamp.get("version") == STAMP_VERSION else {}


def write_stamp(directory: Path, stamp: dict) -> None:
    path = Path(directory) / STAMP
    temp = path.with_name(f".tmp-{os.getpid()}-{STAMP}")
    temp.write_text(json.dumps({**stamp, "version": STAMP_VERSION}, indent=1, sort_keys=True))
    os.replace(temp, path)


def _same_template(old: Path, new: Path) -> bool:
    """Whether two templates differ at most in their creation date."""
    try:
        old_text = old.read_text("utf-8")
    except FileNotFoundError:
        return False
    strip = pot_module.VOLATILE_HEADER.sub
    return strip("", old_text) == strip("", new.read_text("utf-8"))


def _pybabel(*argv: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    status = CommandLineInterface().run(["pybabel", *argv])
    if status:
        raise SystemExit(f"pybabel {argv[0]} failed ({status})")


def po_path(directory: Path, code: str) -> Path:
    return Path(directory) / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def update(directory: Path, locales: Iterable[str], force: bool = False, root: Path = ROOT) -> dict:
    """Extract ``messages.pot`` and update each language's ``messages.po``, each only where
    its inputs changed (see the module). Returns what ran."""
    directory = Path(directory)
    pot = directory / f"{DOMAIN}.pot"
    stamp = {} if force else read_stamp(directory)
    result = {"extracted": False, "template_written": False, "updated": []}
    inputs = inputs_hash(root)
    if stamp.get("inputs") != inputs or stamp.get("pot") != file_hash(pot):
        fresh = pot_module.extract(pot.with_name(f".fresh-{os.getpid()}.pot"), root)
        result["extracted"] = True
        if _same_template(pot, fresh):
            fresh.unlink()
        else:
            os.replace(fresh, pot)
            result["template_written"] = True
        stamp.update(inputs=inputs, pot=file_hash(pot))
        write_stamp(directory, stamp)
    template = stamp["pot"]
    updated = stamp.setdefault("po", {})
    for code in locales:
        po = po_path(directory, code)
        if updated.get(code) == [template, file_hash(po)]:
            continue
        common = ["--no-wrap", "-i", str(pot), "-d", str(directory), "-l", code]
        if po.exists():
            _pybabel("--quiet", "update", "--previous", "--ignore-obsolete", *common)
        else:
            _pybabel("--quiet", "init", *common)
        updated[code] = [template, file_hash(po)]
        result["updated"].append(code)
        write_stamp(directory, stamp)
    return result


def compile_all(directory: Path, locales: Iterable[str], force: bool = False) -> list[str]:
    """``pybabel compile`` of each language whose ``messages.mo`` is not the one the last
    run made from the ``messages.po`` on disk; returns the languages compiled."""
    directory = Path(directory)
    stamp = read_stamp(directory)
    compiled = stamp.setdefault("mo", {})
    done = []
    for code in locales:
        po = po_path(directory, code)
        mo = po.with_suffix(".mo")
        source = file_hash(po)
        if source is None:
            continue
        if not force and compiled.get(code) == [source, file_hash(mo)]:
            continue
        _pybabel("compile", "--statistics", "-d", str(directory), "-l", code)
        compiled[code] = [source, file_hash(mo)]
        done.append(code)
        write_stamp(directory, stamp)
    return done
