"""Page texts from ``content/``: Markdown with YAML front matter, German source.

Files are parsed once at start-up into :class:`Document` objects. Rendering walks the parsed
tokens and passes every text block (each markdown-it ``inline`` token: a paragraph, heading,
list item, table cell, link text or alt text within it) through gettext, so the same
catalogs translate interface and content. A block without a translation in the visitor's
language is shown in German and marked ``lang="de"``.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin

#: Front-matter fields whose text is shown to visitors and so goes through the catalogs.
TRANSLATABLE_META = ("title", "short_title", "summary", "place", "time_note")
#: Kinds of document and the folder each lives in.
KINDS = {"seiten": "page", "aktuelles": "news", "veranstaltungen": "event"}

Translate = Callable[[str], tuple[str, bool]]
#: Changes a translated block's inline tokens before rendering, given the type of the token
#: that opens the block (e.g. ``heading_open``): the Wörterbuch links of Leichte Sprache.
InlineHook = Callable[[list[Token], str | None], list[Token]]


def _render_box(self, tokens, idx, options, env):
    token = tokens[idx]
    if token.nesting == 1:
        kind = token.info.strip().split(" ", 1)[0]
        return f'<div class="box box--{escape(kind)}">\n'
    return "</div>\n"


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable("table")
    md.use(anchors_plugin, min_level=2, max_level=3, permalink=False)
    for name in ("box", "kontakt"):
        md.use(container_plugin, name=name, render=_render_box)
    md.add_render_rule("link_open", _render_link_open)
    return md


def _render_link_open(self, tokens, idx, options, env):
    """Site links get the language prefix, external ones ``class="extern"`` (print shows their
    address). Works on a copy: parsed tokens are shared by every request and language."""
    token = tokens[idx]
    attrs = dict(token.attrs)
    href = str(attrs.get("href") or "")
    if href.startswith("/") and not href.startswith("//"):
        attrs["href"] = env.get("prefix", "") + href
    elif href.startswith(("http://", "https://")):
        attrs["class"] = "extern"
    return self.renderToken([token.copy(attrs=attrs)], 0, options, env)


MD = make_markdown()


class _FastYAML(YAMLHandler):
    """Front matter read with libyaml's safe loader where available (same results as
    PyYAML's pure-Python SafeLoader, several times faster for thousands of files)."""

    def load(self, fm, **kwargs):
        return yaml.load(fm, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


FAST_YAML = _FastYAML()


@dataclass
class Download:
    title: str
    filename: str
    path: Path
    size: int
    mimetype: str

    @property
    def kind(self) -> str:
        return {"application/pdf": "PDF", "text/calendar": "iCalendar"}.get(
            self.mimetype, self.filename.rsplit(".", 1)[-1].upper()
        )


@dataclass
class Document:
    kind: str  # "page", "news" or "event"
    path: str  # URL path in the source language, e.g. "/aktuelles/save-the-date"
    source: str  # file name relative to the content folder, for catalog references
    meta: dict
    body: str  # the Markdown text after the front matter
    downloads: list[Download] = field(default_factory=list)
    _tokens: list[Token] | None = field(default=None, repr=False, compare=False)

    @property
    def tokens(self) -> list[Token]:
        """The parsed Markdown, parsed on first use: a worker starts with the front matter
        alone (titles, dates, lists) and parses a document when it is first rendered."""
        if self._tokens is None:
            self._tokens = MD.parse(self.body, {})
        return self._tokens

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def short_title(self) -> str:
        return self.meta.get("short_title") or self.meta["title"]

    @property
    def date(self) -> dt.date | None:
        value = self.meta.get("date")
        return value if isinstance(value, dt.date) else None

    @property
    def slug(self) -> str:
        return self.path.rstrip("/").rsplit("/", 1)[-1]

    @property
    def endpoint(self) -> str | None:
        """Set when another view serves this path (a form, the search); else ``pages``."""
        return self.meta.get("endpoint")

    def msgids(self) -> list[str]:
        """Every text of the document, in order: what the extractor writes to the catalog."""
        found = [self.meta[key] for key in TRANSLATABLE_META if self.meta.get(key)]
        found += [item.title for item in self.downloads]
        found += [tok.content for tok in self.tokens if tok.type == "inline" and tok.content]
        return list(dict.fromkeys(found))


class ContentStore:
    """All documents of a content folder, parsed once."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.documents: dict[str, Document] = {}
        for path in sorted(self.root.glob("*/*.md")):
            doc = load_document(path, self.root)
            if doc.path in self.documents:
                raise ValueError(f"{path}: path {doc.path} is used twice")
            self.documents[doc.path] = doc
        #: Paths whose document was deleted or unpublished: they answer 410 Gone.
        self.gone: frozenset[str] = frozenset()
        #: Set by :mod:`webapp.publishing` for a store with browser-made documents; search
        #: index and page cache are rebuilt when it changes.
        self.revision: object = None
        self._index()

    def overlaid(
        self, documents: Iterable[Document], gone: Iterable[str] = (), revision: object = None
    ) -> ContentStore:
        """A copy with ``documents`` laid over the files (same path: replaced) and the
        ``gone`` paths left out: what :mod:`webapp.publishing` serves."""
        copy = object.__new__(type(self))
        copy.root = self.root
        copy.gone = frozenset(gone)
        copy.revision = revision
        copy.documents = {p: d for p, d in self.documents.items() if p not in copy.gone}
        for doc in documents:
            copy.documents[doc.path] = doc
        if copy.documents == self.documents:  # nothing laid over (never changed: shared)
            copy._navigation, copy._by_kind = self._navigation, self._by_kind
            copy._by_year, copy._children = self._by_year, self._children
        else:
            copy._index()
        return copy

    def _index(self) -> None:
        # The documents of a store never change at run time: order and group them once, so
        # that a list page, the feed and the overview cost what they show, not the archive.
        self._navigation = sorted(
            (d for d in self.documents.values() if "nav" in d.meta), key=lambda d: d.meta["nav"]
        )
        self._by_kind: dict[str, tuple[Document, ...]] = {}
        self._by_year: dict[tuple[str, int], tuple[Document, ...]] = {}
        newest_first = sorted(
            self.documents.values(), key=lambda d: (d.date or dt.date.min, d.path), reverse=True
        )
        by_kind: dict[str, list[Document]] = {}
        by_year: dict[tuple[str, int], list[Document]] = {}
        for doc in newest_first:
            by_kind.setdefault(doc.kind, []).append(doc)
            if doc.date:
                by_year.setdefault((doc.kind, doc.date.year), []).append(doc)
        self._by_kind = {kind: tuple(docs) for kind, docs in by_kind.items()}
        self._by_year = {key: tuple(docs) for key, docs in by_year.items()}
        children: dict[str, list[Document]] = {}
        for doc in self.documents.values():
            parent = _parent_path(doc.path)
            if parent is not None and doc.meta.get("sitemap") is not False:
                children.setdefault(parent, []).append(doc)
        self._children = {
            parent: sorted(docs, key=_sitemap_key) for parent, docs in children.items()
        }

    def get(self, path: str) -> Document | None:
        return self.documents.get(path)

    def of_kind(self, kind: str, year: int | None = None) -> tuple[Document, ...]:
        """Documents of one kind (of one year), newest first (shared: never change it)."""
        if year is not None:
            return self._by_year.get((kind, year), ())
        return self._by_kind.get(kind, ())

    def years(self, kind: str) -> list[int]:
        """The years that documents of ``kind`` have, newest first."""
        return sorted({year for k, year in self._by_year if k == kind}, reverse=True)

    def navigation(self) -> list[Document]:
        return list(self._navigation)

    def tree(self) -> list[tuple[Document | YearGroup, list]]:
        """Documents nested by path, for the site map. A list page with more than
        :data:`TREE_MAX_ITEMS` items of its kind (the news archive) shows its years instead,
        each linking to the list of that year."""

        def children(parent: Document) -> list[tuple[Document | YearGroup, list]]:
            found = self._children.get(parent.path, [])
            kind = KINDS.get(str(parent.meta.get("list", "")))
            if kind and len(found) > TREE_MAX_ITEMS:
                listed = [d for d in found if d.kind == kind and d.date]
                rest = [d for d in found if not (d.kind == kind and d.date)]
                groups = [
                    YearGroup(parent.path, kind, year, len(self.of_kind(kind, year)))
                    for year in sorted({d.date.year for d in listed}, reverse=True)
                ]
                return [(group, []) for group in groups] + [(d, children(d)) for d in rest]
            return [(doc, children(doc)) for doc in found if doc.path != parent.path]

        root = self.documents.get("/")
        return [(root, children(root))] if root else []


#: The site map lists at most this many items of a list page one by one (else: years).
TREE_MAX_ITEMS = 20


@dataclass(frozen=True)
class YearGroup:
    """One year of a list page's archive in the site map: ``path?jahr=year``."""

    path: str
    kind: str
    year: int
    count: int


def _sitemap_key(doc: Document):
    order = doc.meta.get("nav", doc.meta.get("order", 100))
    date_key = -(doc.date.toordinal()) if doc.date else 0
    return (order, date_key, doc.short_title)


def _parent_path(path: str) -> str | None:
    if path == "/":
        return None
    trimmed = path.rstrip("/")
    head = trimmed.rsplit("/", 1)[0]
    return head + "/" if head else "/"


def load_document(path: Path, root: Path) -> Document:
    return document_from_text(path.read_text("utf-8"), path, root)


def document_from_text(text: str, path: Path, root: Path) -> Document:
    """The document a file at ``path`` with ``text`` would be (``load_document`` without
    reading it): what the catalogs extract from a browser-made document before
    ``flask content export`` writes its file (:mod:`webapp.publishing.translations`)."""
    post = frontmatter.loads(text, handler=FAST_YAML)
    meta = dict(post.metadata)
    folder = path.parent.name
    kind = KINDS.get(folder)
    if kind is None:
        raise ValueError(f"{path}: unknown content folder {folder!r}")
    if "title" not in meta:
        raise ValueError(f"{path}: front matter needs a title")
    if "path" not in meta:
        base = {"page": "/", "news": "/aktuelles/", "event": "/veranstaltungen/"}[kind]
        meta["path"] = base + path.stem
    downloads = []
    for item in meta.get("downloads", []) or []:
        if "file" not in item:  # a document of the editors' area (webapp/downloads.py)
            continue
        file_path = root / "downloads" / item["file"]
        if file_path.is_file():  # listed only where the file exists
            mimetype = mimetypes.guess_type(file_path.name)[0] or "application/octet-stream"
            downloads.append(
                Download(
                    title=item["title"],
                    filename=file_path.name,
                    path=file_path,
                    size=file_path.stat().st_size,
                    mimetype=mimetype,
                )
            )
    return Document(
        kind=kind,
        path=meta["path"],
        source=os.path.relpath(path, root.parent),
        meta=meta,
        body=post.content,
        downloads=downloads,
    )


@lru_cache(maxsize=4096)
def parse_inline(text: str) -> list[Token]:
    """The inline tokens of a translated block, parsed once (rendering never changes them)."""
    return MD.parseInline(text, {})[0].children or []


#: Blocks that get a frame and a label of their own when shown untranslated (German).
_FRAMED = {"paragraph_open": "paragraph_close", "heading_open": "heading_close"}


def render_tokens(
    tokens: Iterable[Token],
    translate: Translate,
    prefix: str = "",
    untranslated_label: str = "",
    inline_hook: InlineHook | None = None,
) -> Markup:
    """HTML for parsed Markdown, each text block translated (or marked German).

    With ``untranslated_label`` (e.g. "Dieser Text ist noch nicht in Leichter Sprache."), a
    paragraph or heading shown in German is framed (``<div class="untranslated">``) and begins
    with that label; German in a list item or table cell is followed by it in brackets.
    ``inline_hook`` may change the inline tokens of translated blocks.
    """
    tokens = list(tokens)
    env = {"prefix": prefix}
    renderer = MD.renderer
    out = []
    closing = []  # indices of close tokens that end a frame
    label = escape(untranslated_label)
    for idx, token in enumerate(tokens):
        if token.type == "inline":
            text, translated = translate(token.content)
            children = token.children if text == token.content else parse_inline(text)
            if inline_hook is not None and translated:
                opener = tokens[idx - 1].type if idx else None
                children = inline_hook(list(children or []), opener)
            html = renderer.renderInline(children or [], MD.options, env)
            if translated:
                out.append(html)
            else:
                out.append(f'<span lang="de">{html}</span>')
                opener = tokens[idx - 1] if idx else None
                framed = opener is not None and opener.type in _FRAMED and not opener.hidden
                if label and not framed and token.content:
                    out.append(f' <span class="untranslated__label">({label})</span>')
        elif (
            label
            and token.type in _FRAMED
            and not token.hidden
            and _untranslated_next(tokens, idx, translate)
        ):
            out.append(f'<div class="untranslated">\n<p class="untranslated__label">{label}</p>\n')
            out.append(_render(renderer, tokens, idx, env))
            closing.append(_closer(tokens, idx))
        elif idx in closing:
            out.append(_render(renderer, tokens, idx, env))
            out.append("</div>\n")
        elif token.type in renderer.rules:
            out.append(renderer.rules[token.type](tokens, idx, MD.options, env))
        else:
            out.append(renderer.renderToken(tokens, idx, MD.options, env))
    return Markup("".join(out))  # noqa: S704 - markdown-it escapes (html disabled)


def _render(renderer, tokens: list[Token], idx: int, env: dict) -> str:
    if tokens[idx].type in renderer.rules:
        return renderer.rules[tokens[idx].type](tokens, idx, MD.options, env)
    return renderer.renderToken(tokens, idx, MD.options, env)


def _untranslated_next(tokens: list[Token], idx: int, translate: Translate) -> bool:
    """Whether the block opened at ``idx`` holds a text shown untranslated."""
    following = tokens[idx + 1] if idx + 1 < len(tokens) else None
    if following is None or following.type != "inline" or not following.content:
        return False
    return not translate(following.content)[1]


def _closer(tokens: list[Token], idx: int) -> int:
    """The index of the token that closes the block opened at ``idx``."""
    wanted, level = _FRAMED[tokens[idx].type], tokens[idx].level
    for later in range(idx + 1, len(tokens)):
        if tokens[later].type == wanted and tokens[later].level == level:
            return later
    return len(tokens) - 1


def _plain(token: Token) -> str:
    """An inline token as plain text: a line break (Leichte Sprache puts one sentence on
    each line) stays a break, so sentences are not glued together ("Heft.Das")."""
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    return token.content if token.type == "text" else ""


def plain_text(tokens: Iterable[Token], translate: Translate) -> str:
    """The text of the blocks, translated, without markup (for search and feeds)."""
    parts = []
    for token in tokens:
        if token.type == "inline" and token.content:
            text = translate(token.content)[0]
            inline = parse_inline(text)
            parts.append("".join(_plain(child) for child in inline))
    return "\n".join(parts)
