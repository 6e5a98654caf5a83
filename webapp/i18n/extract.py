"""Babel extraction method for the content files (``content/**.md``).

Registered as the ``md`` extractor (``[project.entry-points."babel.extractors"]`` in
``pyproject.toml``, mapped in ``babel.cfg``). It yields exactly the texts that
:meth:`webapp.content.Document.msgids` lists and that rendering passes through gettext:
the visible front-matter fields, download titles and every Markdown text block (each
markdown-it ``inline`` token, so paragraphs, headings, list items, table cells, link texts
and image alt texts inside them, and the contents of boxes). Each message carries its line in
the file and a comment for translators naming the field or the kind of block.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..content import TRANSLATABLE_META, Document, load_document

#: How a block is described to translators, by the token that opened it.
BLOCK_NAMES = {
    "paragraph_open": "paragraph",
    "heading_open": "heading",
    "bullet_list_open": "list",
    "ordered_list_open": "numbered list",
    "list_item_open": "list item",
    "blockquote_open": "quote",
    "th_open": "table header cell",
    "td_open": "table cell",
}

Message = tuple[int, None, str, list[str]]


def extract_md(fileobj, keywords, comment_tags, options) -> Iterator[Message]:
    """Babel's extractor interface: ``(lineno, funcname, message, comments)`` per text."""
    path = Path(os.fsdecode(fileobj.name))
    raw = fileobj.read().decode(options.get("encoding", "utf-8"))
    doc = load_document(path, path.parent.parent)
    yield from document_messages(doc, raw)


def document_messages(doc: Document, raw: str) -> Iterator[Message]:
    """The messages of a parsed document, located in its file's text ``raw``."""
    lines = raw.splitlines()
    offset = _body_offset(raw)
    for key in TRANSLATABLE_META:
        value = doc.meta.get(key)
        if value:
            yield _line_of(lines, rf"^{key}\s*:"), None, value, [f"front matter: {key}"]
    for item in doc.downloads:
        yield (
            _line_of(lines, r"^\s*title\s*:.*" + re.escape(item.title[:20])),
            None,
            item.title,
            [f"download title ({item.filename})"],
        )
    stack: list = []
    for token in doc.tokens:
        if token.nesting == 1:
            stack.append(token)
        elif token.nesting == -1 and stack:
            stack.pop()
        elif token.type == "inline" and token.content:
            line = offset + (token.map[0] if token.map else 0) + 1
            yield line, None, token.content, [_describe(stack)]


def _describe(stack: list) -> str:
    parts = []
    for token in stack:
        if token.type.startswith("container_"):
            parts.append("box " + token.info.strip().split(" ", 1)[0])
        elif token.type == "heading_open":
            parts.append(f"heading {token.tag}")
        elif token.type in BLOCK_NAMES:
            parts.append(BLOCK_NAMES[token.type])
    innermost = parts[-1] if parts else "text"
    context = [p for p in parts[:-1] if p.startswith("box") or p.endswith("list item")]
    return "Markdown " + innermost + "".join(f" in {c}" for c in reversed(context))


def _body_offset(raw: str) -> int:
    """Lines before the Markdown body (the front matter between ``---`` lines)."""
    lines = raw.splitlines()
    if not lines or lines[0].strip() != "---":
        return 0
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            offset = index + 1
            while offset < len(lines) and not lines[offset].strip():
                offset += 1
            return offset
    return 0


def _line_of(lines: list[str], pattern: str) -> int:
    regex = re.compile(pattern)
    for number, line in enumerate(lines, start=1):
        if regex.search(line):
            return number
    return 1
