"""What an uploaded document is, read from its bytes (never from its name), and whether a PDF
meets the basics of PDF/UA that BITV asks for.

:func:`identify` accepts only these types, each recognised by its magic bytes *and* a real
parse: PDF (opened with pikepdf/qpdf), Word and Excel (OOXML: DOCX, XLSX), OpenDocument
text and spreadsheet (ODT, ODS) and CSV (UTF-8 text that parses as CSV). Zip containers are
checked against zip bombs (number of entries, total uncompressed size, compression ratio)
before anything is decompressed, and then every entry is read once (CRC check) within those
limits. Anything else — HTML with a ``.pdf`` name, an executable, a macro-enabled Office
file, a PDF with JavaScript — is refused with a :class:`Refused` whose ``code`` names the
reason (the editors' area shows a translated message for it).

:func:`pdf_findings` lists what a PDF lacks of the basics of PDF/UA: tags (``/MarkInfo
/Marked true`` and a ``/StructTreeRoot``), the document language (``/Lang``), a title
(document information or XMP ``dc:title``) and ``/DisplayDocTitle true`` (the window shows
the title, not the file name).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

import pikepdf

#: Limits of zip containers (DOCX, XLSX, ODT, ODS): a report of a few hundred pages with
#: pictures stays far below them, a zip bomb does not.
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_TOTAL = 200 * 1024 * 1024  # uncompressed bytes of all entries together
ZIP_MAX_RATIO = 100  # uncompressed : compressed, over the whole file and per large entry
ZIP_RATIO_FLOOR = 1024 * 1024  # entries smaller than this may compress better (XML does)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
CSV = "text/csv"

#: Media type → (label shown to visitors, file extension).
TYPES = {
    PDF: ("PDF", "pdf"),
    DOCX: ("Word (DOCX)", "docx"),
    XLSX: ("Excel (XLSX)", "xlsx"),
    ODT: ("OpenDocument-Text (ODT)", "odt"),
    ODS: ("OpenDocument-Tabelle (ODS)", "ods"),
    CSV: ("CSV", "csv"),
}

#: Codes of :func:`pdf_findings`, in the order they are shown.
UNTAGGED = "untagged"
NO_LANGUAGE = "language"
NO_TITLE = "title"
TITLE_NOT_SHOWN = "display_title"
FINDINGS = (UNTAGGED, NO_LANGUAGE, NO_TITLE, TITLE_NOT_SHOWN)


class Refused(ValueError):
    """The file is not one of the allowed types, or it is damaged or dangerous."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code if not detail else f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass
class Identified:
    mimetype: str
    findings: list[str] = field(default_factory=list)
    #: Whether the basics of accessibility could be checked (PDF only).
    checked: bool = False
    pages: int | None = None

    @property
    def label(self) -> str:
        return TYPES[self.mimetype][0]

    @property
    def extension(self) -> str:
        return TYPES[self.mimetype][1]


def identify(data: bytes) -> Identified:
    """The type of ``data`` and, for a PDF, its accessibility findings; :class:`Refused`
    when it is none of the allowed types."""
    if not data:
        raise Refused("empty")
    try:
        if data.startswith(b"%PDF-"):
            return _pdf(data)
        if data.startswith(b"PK\x03\x04"):
            return Identified(_zip_type(data))
        return Identified(_csv(data))
    except Refused:
        raise
    except Exception as error:  # noqa: BLE001 - any other failure of a parser: damaged
        raise Refused("damaged", f"{type(error).__name__}: {error}"[:200]) from error


# --- PDF --------------------------------------------------------------------------------


def _pdf(data: bytes) -> Identified:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if _has_javascript(pdf):
                raise Refused("javascript")
            return Identified(PDF, pdf_findings(pdf), checked=True, pages=len(pdf.pages))
    except pikepdf.PasswordError as error:
        raise Refused("encrypted") from error
    except pikepdf.PdfError as error:
        raise Refused("damaged", str(error)[:200]) from error


def _has_javascript(pdf: pikepdf.Pdf) -> bool:
    root = pdf.Root
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names:
        return True
    action = root.get("/OpenAction")
    if isinstance(action, pikepdf.Dictionary) and action.get("/S") == pikepdf.Name.JavaScript:
        return True
    actions = root.get("/AA")
    if isinstance(actions, pikepdf.Dictionary):
        for _key, item in actions.items():
            if isinstance(item, pikepdf.Dictionary) and item.get("/S") == pikepdf.Name.JavaScript:
                return True
    return False


def pdf_findings(pdf: pikepdf.Pdf) -> list[str]:
    """What the PDF lacks of the basics of PDF/UA (empty when it has them all)."""
    root = pdf.Root
    found = []
    mark_info = root.get("/MarkInfo")
    marked = isinstance(mark_info, pikepdf.Dictionary) and bool(mark_info.get("/Marked", False))
    if not marked or "/StructTreeRoot" not in root:
        found.append(UNTAGGED)
    if not str(root.get("/Lang", "")).strip():
        found.append(NO_LANGUAGE)
    if not _title(pdf):
        found.append(NO_TITLE)
    preferences = root.get("/ViewerPreferences")
    shown = isinstance(preferences, pikepdf.Dictionary) and bool(
        preferences.get("/DisplayDocTitle", False)
    )
    if not shown:
        found.append(TITLE_NOT_SHOWN)
    return found


def _title(pdf: pikepdf.Pdf) -> str:
    title = str(pdf.docinfo.get("/Title", "")).strip() if "/Info" in pdf.trailer else ""
    if title:
        return title
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            return str(meta.get("dc:title", "") or "").strip()
    except Exception:  # noqa: BLE001 - broken XMP: no title from there
        return ""


# --- zip containers -----------------------------------------------------------------------


def _zip_type(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise Refused("damaged", str(error)[:200]) from error
    with archive:
        entries = archive.infolist()
        _guard_against_bombs(entries, len(data))
        names = {info.filename for info in entries}
        if any(name.lower().endswith(("vbaproject.bin", ".exe", ".js")) for name in names):
            raise Refused("macros")
        if "mimetype" in names:
            kind = _odf_type(archive)
        elif "[Content_Types].xml" in names:
            kind = _ooxml_type(archive, names)
        else:
            raise Refused("unknown")
        try:  # every entry once: a damaged or lying archive fails its CRC check here
            for info in entries:
                with archive.open(info) as handle:
                    while handle.read(1024 * 1024):
                        pass
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
            raise Refused("damaged", str(error)[:200]) from error
        return kind


def _guard_against_bombs(entries: list[zipfile.ZipInfo], size: int) -> None:
    """Refuse before decompressing: too many entries, too much in total, or too high a
    ratio. ``zipfile`` never inflates an entry beyond its declared size, so checking the
    declared sizes bounds what reading the entries can cost."""
    if len(entries) > ZIP_MAX_ENTRIES:
        raise Refused("zip_bomb", "entries")
    total = sum(info.file_size for info in entries)
    if total > ZIP_MAX_TOTAL:
        raise Refused("zip_bomb", "total")
    if total > ZIP_RATIO_FLOOR and total > ZIP_MAX_RATIO * max(size, 1):
        raise Refused("zip_bomb", "ratio")
    for info in entries:
        if info.file_size > ZIP_RATIO_FLOOR and (
            info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1)
        ):
            raise Refused("zip_bomb", "entry ratio")


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(archive.read(name))  # noqa: S314 - sizes bounded above
    except (ElementTree.ParseError, KeyError, zipfile.BadZipFile) as error:
        raise Refused("damaged", f"{name}: {error}"[:200]) from error


def _odf_type(archive: zipfile.ZipFile) -> str:
    declared = archive.read("mimetype").decode("ascii", "replace").strip()
    if declared not in (ODT, ODS):
        raise Refused("unknown", declared[:80])
    manifest = _xml(archive, "META-INF/manifest.xml")
    if not manifest.tag.endswith("manifest"):
        raise Refused("damaged", "manifest")
    _xml(archive, "content.xml")
    return declared


OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}


def _ooxml_type(archive: zipfile.ZipFile, names: set[str]) -> str:
    types = _xml(archive, "[Content_Types].xml")
    found = None
    for element in types:
        content_type = element.get("ContentType", "")
        if "macroEnabled" in content_type:
            raise Refused("macros")
        if content_type in OOXML_MAIN:
            part = element.get("PartName", "").lstrip("/")
            if part not in names:
                raise Refused("damaged", part[:80])
            _xml(archive, part)
            found = OOXML_MAIN[content_type]
    if found is None:
        raise Refused("unknown")
    return found


# --- CSV --------------------------------------------------------------------------------


def _csv(data: bytes) -> str:
    """UTF-8 text without control characters that parses as CSV with at least two columns
    (HTML, scripts and binaries do not pass)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused("unknown") from error
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text) or text.lstrip().startswith("<"):
        raise Refused("unknown")
    try:
        dialect = csv.Sniffer().sniff(text[: 64 * 1024], delimiters=",;\t")
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise Refused("unknown") from error
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows or len(rows[0]) < 2:
        raise Refused("unknown")
    return CSV
