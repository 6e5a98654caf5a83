"""Documents for download (issue 16, point 6): uploads checked by content, the basics of
PDF/UA, publishing by Freigabe only, the accessibility statement, the public address with
its headers on two instances sharing one database."""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
import zipfile

import pikepdf
import pytest
from sqlalchemy import delete, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from webapp.db import db
from webapp.document_checks import (
    DOCX,
    NO_LANGUAGE,
    NO_TITLE,
    ODS,
    PDF,
    TITLE_NOT_SHOWN,
    UNTAGGED,
    XLSX,
    Refused,
    identify,
)
from webapp.downloads import DocumentFile, DocumentRevision, utcnow
from webapp.editor.models import AuditEntry, Editor
from webapp.templating import filesize

from .fixtures_db import dispose_app
from .fixtures_editor import (
    PASSWORD,
    add_editors,
    csrf_token,
    log_in,
    make_editor_app,
    password_hash,
)

# --- test files, made here ----------------------------------------------------------------


def make_pdf(tagged: bool, title: str = "Sozialbericht NRW 2025", padding: int = 0) -> bytes:
    """A one-page PDF; ``tagged``: with the basics of PDF/UA (tags, language, title shown);
    ``padding``: that many random bytes in an extra stream (a larger file)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if padding:
        pdf.Root.Filler = pdf.make_stream(os.urandom(padding))
    if tagged:
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        pdf.Root.StructTreeRoot = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot)
        )
        pdf.Root.Lang = pikepdf.String("de-DE")
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        pdf.docinfo["/Title"] = title
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def make_docx(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Bericht</w:t></w:r></w:p></w:body></w:document>",
        )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_zip_bomb() -> bytes:
    """A valid-looking DOCX with one part of 150 MB of zeros (about 150 KB compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.bin", "w", force_zip64=True) as part:
            chunk = bytes(1024 * 1024)
            for _ in range(150):
                part.write(chunk)
    return buffer.getvalue()


def encrypted_zip() -> bytes:
    """A DOCX whose main part claims to be encrypted (zipfile refuses to read it)."""
    data = bytearray(make_docx())
    offset = data.index(b"PK\x03\x04", 1)  # the second entry: word/document.xml
    data[offset + 6] |= 1  # general purpose flag: encrypted
    central = data.index(b"PK\x01\x02")
    central = data.index(b"PK\x01\x02", central + 1)
    data[central + 8] |= 1
    return bytes(data)


HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def add_document(app, document_id: int, tagged: bool = False, revision: bool = False) -> None:
    """A draft stored directly (for tests of other pages that need one); ``revision``: with
    an earlier file (number 1), as after a replacement."""
    data = make_pdf(tagged)
    found = identify(data)
    with app.app_context():
        db.session.add(
            DocumentFile(
                id=document_id,
                slug=f"dokument-{document_id}",
                title="Ein Dokument",
                language="de",
                mimetype=found.mimetype,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
                findings=found.findings,
                checked=found.checked,
                created_by="test",
            )
        )
        if revision:
            db.session.flush()
            db.session.add(
                DocumentRevision(
                    document_id=document_id,
                    number=1,
                    mimetype=found.mimetype,
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    data=data,
                    findings=found.findings,
                    checked=found.checked,
                    uploaded_by="test",
                    uploaded_at=utcnow(),
                    replaced_by="test",
                )
            )
            document = db.session.get(DocumentFile, document_id)
            document.replaced_at, document.replaced_by = utcnow(), "test"
        db.session.commit()


# --- the checks alone ---------------------------------------------------------------------


def test_types_are_read_from_the_content_not_the_name():
    assert identify(make_pdf(True)).mimetype == PDF
    assert identify(make_docx()).mimetype == DOCX
    assert identify(b"Jahr;Quote\n2024;16,6\n").mimetype == "text/csv"
    for data, code in (
        (HTML_AS_PDF, "unknown"),
        (b"%PDF-1.7\n<html>not really a pdf</html>", "damaged"),
        (b"MZ\x90\x00\x03" + bytes(200), "unknown"),
        (b"PK\x03\x04 broken zip", "damaged"),
        (make_docx({"word/vbaProject.bin": b"macro"}), "macros"),
        (b"", "empty"),
        (encrypted_zip(), "damaged"),
    ):
        with pytest.raises(Refused) as refused:
            identify(data)
        assert refused.value.code == code, data[:20]


def test_a_pdf_with_javascript_or_a_password_is_refused():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")
    )
    buffer = io.BytesIO()
    pdf.save(buffer)
    with pytest.raises(Refused) as refused:
        identify(buffer.getvalue())
    assert refused.value.code == "javascript"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer, encryption=pikepdf.Encryption(owner="geheim", user="geheim"))
    with pytest.raises(Refused) as refused:
        identify(buffer.getvalue())
    assert refused.value.code == "encrypted"


def test_odf_and_xlsx_are_recognised():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODS)
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0"/>',
        )
        archive.writestr("content.xml", "<document-content/>")
    assert identify(buffer.getvalue()).mimetype == ODS
    sheet = CONTENT_TYPES.replace("wordprocessingml.document.main", "spreadsheetml.sheet.main")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", sheet.replace("/word/document", "/xl/workbook"))
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert identify(buffer.getvalue()).mimetype == XLSX
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", sheet)  # names a part it lacks
    with pytest.raises(Refused) as refused:
        identify(buffer.getvalue())
    assert refused.value.code == "damaged"


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    start = time.monotonic()
    with pytest.raises(Refused) as refused:
        identify(make_zip_bomb())
    assert refused.value.code == "zip_bomb"
    assert time.monotonic() - start < 30


def test_pdf_findings_name_what_is_missing():
    assert identify(make_pdf(True)).findings == []
    assert identify(make_pdf(False)).findings == [UNTAGGED, NO_LANGUAGE, NO_TITLE, TITLE_NOT_SHOWN]


# --- the editors' area --------------------------------------------------------------------


@pytest.fixture()
def documents_app(editor_app):
    """The editors' app without documents, with a Freigabe account ``freigabe``."""
    with editor_app.app_context():
        db.session.execute(delete(DocumentRevision))
        db.session.execute(delete(DocumentFile))
        db.session.add(
            Editor(name="freigabe", password_hash=password_hash(PASSWORD), role="freigabe")
        )
        db.session.commit()
    yield editor_app
    with editor_app.app_context():
        db.session.execute(delete(DocumentRevision))
        db.session.execute(delete(DocumentFile))
        db.session.commit()


def logged_in(app, name: str):
    client = app.test_client()
    assert log_in(client, name=name).status_code == 303
    return client


def upload(client, data: bytes, filename="bericht.pdf", **fields):
    page = client.get("/redaktion/dokumente/neu")
    form = {
        "csrf_token": csrf_token(page.text),
        "title": "Sozialbericht NRW 2025",
        "language": "de",
        "slug": "",
        "reason": "",
        **fields,
        "file": FileStorage(io.BytesIO(data), filename, content_type="application/pdf"),
    }
    # Encoded here, in memory: the test client's own encoding spools a large body to a
    # temporary file that it leaves open when the app refuses the body unread (413).
    boundary, body = encode_multipart(form)
    return client.post(
        "/redaktion/dokumente/neu",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def stored(app) -> list[DocumentFile]:
    with app.app_context():
        return list(db.session.scalars(select(DocumentFile)))


def publish(client, document_id: int, reason: str = ""):
    page = client.get(f"/redaktion/dokumente/{document_id}")
    return client.post(
        f"/redaktion/dokumente/{document_id}/veroeffentlichen",
        data={"csrf_token": csrf_token(page.text), "reason": reason},
    )


def test_malicious_uploads_are_refused_with_a_message_and_nothing_stored(documents_app):
    client = logged_in(documents_app, "redakteurin")
    for data, message in (
        (HTML_AS_PDF, "Dieser Dateityp ist nicht erlaubt"),
        (make_zip_bomb(), "Zip-Bombe"),
    ):
        response = upload(client, data, filename="bericht.pdf")
        assert response.status_code == 422
        assert message in response.text
        assert 'aria-invalid="true"' in response.text
        assert 'value="Sozialbericht NRW 2025"' in response.text  # the title is kept
    assert stored(documents_app) == []


def test_a_50_mb_upload_is_a_413_that_keeps_every_other_field(documents_app):
    """The file is read and thrown away beyond the limit, so the fields the editor typed
    around it come back filled in, and the error is the file field's."""
    client = logged_in(documents_app, "redakteurin")
    big = b"%PDF-1.7\n" + bytes(50 * 1024 * 1024)
    reason = "Eine barrierefreie Fassung ist bestellt."
    response = upload(
        client,
        big,
        title="Sozialbericht NRW 2025 – Langfassung",
        language="en",
        slug="langfassung-2025",
        reason=reason,
    )
    assert response.status_code == 413
    page = response.text
    assert "Die Datei ist zu groß (50" in page and "höchstens 20" in page
    summary = page[page.index('id="fehler"') : page.index("</ul>", page.index('id="fehler"'))]
    assert '<a href="#file">Die Datei ist zu groß' in summary
    file_input = re.search(r'<input[^>]*id="file"[^>]*>', page)[0]
    assert 'aria-invalid="true"' in file_input and "file-fehler" in file_input
    assert 'value="Sozialbericht NRW 2025 – Langfassung"' in page
    assert '<option value="en" selected>' in page
    assert 'value="langfassung-2025"' in page
    assert f">{reason}</textarea>" in page
    assert "<title>Fehler:" in page
    assert stored(documents_app) == []
    # The rest of the editors' area and the public forms keep their small limit.
    assert documents_app.config["MAX_CONTENT_LENGTH"] == 128 * 1024
    page = client.get("/redaktion/dokumente/neu")
    response = client.post(
        "/redaktion/abmelden",
        data={"csrf_token": csrf_token(page.text), "x": "a" * (200 * 1024)},
    )
    assert response.status_code == 413


def test_a_body_beyond_the_hard_limit_is_refused_unread_with_a_message(documents_app):
    documents_app.config["DOCUMENT_REQUEST_MAX"] = 30 * 1024 * 1024
    try:
        client = logged_in(documents_app, "redakteurin")
        response = upload(client, b"%PDF-1.7\n" + bytes(31 * 1024 * 1024))
    finally:
        del documents_app.config["DOCUMENT_REQUEST_MAX"]
    assert response.status_code == 413
    assert "Die Datei ist zu groß" in response.text and "höchstens 20" in response.text
    assert stored(documents_app) == []


def test_title_and_language_are_required_type_and_size_come_from_the_file(documents_app):
    client = logged_in(documents_app, "redakteurin")
    response = upload(client, make_pdf(True), title="", language="")
    assert response.status_code == 422
    assert "Bitte geben Sie einen Titel ein." in response.text
    assert "Bitte wählen Sie die Sprache des Dokuments." in response.text
    # 3 MB: above the portal's limit for forms, allowed on this route; the name is ignored.
    data = make_pdf(True, padding=3 * 1024 * 1024)
    response = upload(client, data, filename="bericht.docx")
    assert response.status_code == 303
    (document,) = stored(documents_app)
    assert (document.mimetype, document.size, document.slug) == (
        PDF,
        len(data),
        "sozialbericht-nrw-2025",
    )
    page = client.get(response.headers["Location"])
    assert "PDF, " in page.text and "Grundlagen erfüllt" in page.text


def test_redaktion_uploads_drafts_only_freigabe_publishes(documents_app):
    editor = logged_in(documents_app, "redakteurin")
    assert upload(editor, make_pdf(True), slug="sozialbericht-nrw").status_code == 303
    (document,) = stored(documents_app)
    visitor = documents_app.test_client()
    assert visitor.get("/dokumente/sozialbericht-nrw").status_code == 404
    assert "sozialbericht-nrw" not in visitor.get("/sozialberichte/").text
    assert publish(editor, document.id).status_code == 403
    assert (
        "Veröffentlichen kann nur die Freigabe."
        in editor.get(f"/redaktion/dokumente/{document.id}").text
    )
    reviewer = logged_in(documents_app, "freigabe")
    assert publish(reviewer, document.id).status_code == 303
    assert visitor.get("/dokumente/sozialbericht-nrw").status_code == 200
    listed = visitor.get("/sozialberichte/").text
    assert 'href="/dokumente/sozialbericht-nrw"' in listed
    assert "(PDF, " in listed
    # Without the CSRF token nothing happens.
    response = reviewer.post(f"/redaktion/dokumente/{document.id}/zurueckziehen")
    assert response.status_code == 400
    page = reviewer.get(f"/redaktion/dokumente/{document.id}")
    response = reviewer.post(
        f"/redaktion/dokumente/{document.id}/zurueckziehen",
        data={"csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 303
    assert visitor.get("/dokumente/sozialbericht-nrw").status_code == 404
    with documents_app.app_context():
        actions = [
            (entry.action, entry.editor)
            for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    assert actions == [
        ("file-upload", "redakteurin"),
        ("file-publish", "freigabe"),
        ("file-unpublish", "freigabe"),
    ]
    log = reviewer.get("/redaktion/protokoll")
    assert log.status_code == 200 and "Dokument veröffentlicht" in log.text


def test_an_untagged_pdf_needs_a_reason_which_the_statement_lists(documents_app):
    editor = logged_in(documents_app, "redakteurin")
    response = upload(
        editor, make_pdf(False), title="Dokumentation 2019", slug="doku-2019", language="de"
    )
    assert response.status_code == 303
    page = editor.get(response.headers["Location"]).text
    assert "kern-alert--warning" in page
    for text in ("nicht getaggt", "keine Sprache", "keinen Titel", "DisplayDocTitle"):
        assert text in page
    (document,) = stored(documents_app)
    reviewer = logged_in(documents_app, "freigabe")
    refused = publish(reviewer, document.id, reason="   ")
    assert refused.status_code == 422
    assert "Bitte begründen Sie" in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert documents_app.test_client().get("/dokumente/doku-2019").status_code == 404
    reason = "Eine Veröffentlichung des Regionalverbands Ruhr; eine barrierefreie Fassung folgt."
    assert publish(reviewer, document.id, reason=reason).status_code == 303
    visitor = documents_app.test_client()
    for prefix in ("", "/leichte-sprache", "/en"):
        statement = visitor.get(prefix + "/barrierefreiheit")
        assert statement.status_code == 200
        assert "Dokumentation 2019" in statement.text
        assert reason in statement.text
        assert f'href="{prefix}/dokumente/doku-2019"' in statement.text
    # Listed inside the section on content that is not accessible, before the next one.
    text = visitor.get("/barrierefreiheit").text
    assert text.index("Nicht barrierefreie Inhalte") < text.index(reason)
    assert text.index(reason) < text.index("Erstellung dieser Erklärung")


def test_an_event_links_its_documentation_once_published(documents_app):
    visitor = documents_app.test_client()
    path = "/veranstaltungen/sozialkonferenz-ruhr-2019"
    link = 'href="/dokumente/dokumentation-sozialkonferenz-ruhr-2019"'
    assert link not in visitor.get(path).text  # cached from here on
    editor = logged_in(documents_app, "redakteurin")
    slug = "dokumentation-sozialkonferenz-ruhr-2019"
    assert upload(editor, make_pdf(True), title="Dokumentation", slug=slug).status_code == 303
    assert link not in visitor.get(path).text  # a draft
    (document,) = stored(documents_app)
    assert publish(logged_in(documents_app, "freigabe"), document.id).status_code == 303
    page = visitor.get(path).text
    assert link in page
    assert "Dokumentation: <a" in page


def test_a_tagged_pdf_is_published_without_a_reason_and_not_in_the_statement(documents_app):
    editor = logged_in(documents_app, "redakteurin")
    assert upload(editor, make_pdf(True), slug="gut").status_code == 303
    (document,) = stored(documents_app)
    reviewer = logged_in(documents_app, "freigabe")
    assert publish(reviewer, document.id, reason="nicht nötig").status_code == 303
    statement = documents_app.test_client().get("/barrierefreiheit").text
    assert "/dokumente/gut" not in statement


def test_a_draft_can_be_deleted_a_published_document_only_after_withdrawing(documents_app):
    editor = logged_in(documents_app, "redakteurin")
    assert upload(editor, make_pdf(True), slug="weg").status_code == 303
    (document,) = stored(documents_app)
    reviewer = logged_in(documents_app, "freigabe")
    assert publish(reviewer, document.id).status_code == 303
    page = editor.get(f"/redaktion/dokumente/{document.id}")
    editor.post(
        f"/redaktion/dokumente/{document.id}/loeschen", data={"csrf_token": csrf_token(page.text)}
    )
    assert len(stored(documents_app)) == 1
    page = reviewer.get(f"/redaktion/dokumente/{document.id}")
    token = csrf_token(page.text)
    reviewer.post(f"/redaktion/dokumente/{document.id}/zurueckziehen", data={"csrf_token": token})
    reviewer.post(f"/redaktion/dokumente/{document.id}/loeschen", data={"csrf_token": token})
    assert stored(documents_app) == []


def replace(client, document_id: int, data: bytes, reason: str = "", filename="neu.pdf"):
    page = client.get(f"/redaktion/dokumente/{document_id}/ersetzen")
    assert page.status_code == 200, page.status_code
    form = {
        "csrf_token": csrf_token(page.text),
        "reason": reason,
        "file": FileStorage(io.BytesIO(data), filename, content_type="application/pdf"),
    }
    boundary, body = encode_multipart(form)
    return client.post(
        f"/redaktion/dokumente/{document_id}/ersetzen",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_a_corrected_file_replaces_a_published_one_at_the_same_address(documents_app):
    """An untagged PDF, published with a reason, is replaced by a corrected (tagged) one:
    same address, new bytes and ETag, the statement no longer lists it, the old file is a
    revision named in the audit log and still downloadable by editors."""
    editor = logged_in(documents_app, "redakteurin")
    old = make_pdf(False)
    assert upload(editor, old, title="Sozialbericht 2025", slug="bericht").status_code == 303
    (document,) = stored(documents_app)
    reviewer = logged_in(documents_app, "freigabe")
    reason = "Die barrierefreie Fassung folgt im Mai."
    assert publish(reviewer, document.id, reason=reason).status_code == 303
    visitor = documents_app.test_client()
    first = visitor.get("/dokumente/bericht")
    assert first.data == old
    assert reason in visitor.get("/barrierefreiheit").text  # cached from here on

    new = make_pdf(True, title="Sozialbericht 2025 (korrigiert)")
    time.sleep(1.1)  # HTTP dates count seconds: the replacement is a later one
    response = replace(reviewer, document.id, new)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/redaktion/dokumente/{document.id}")
    served = visitor.get("/dokumente/bericht")
    assert served.status_code == 200 and served.data == new
    assert served.headers["ETag"] == f'"{hashlib.sha256(new).hexdigest()}"'
    assert served.headers["ETag"] != first.headers["ETag"]
    # A cache holding the old file must not be told it is still fresh.
    again = visitor.get("/dokumente/bericht", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.data == new
    since = visitor.get(
        "/dokumente/bericht", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 200
    assert reason not in visitor.get("/barrierefreiheit").text  # the cached page was dropped
    (document,) = stored(documents_app)
    assert (document.findings, document.reason, document.status) == ([], None, "published")
    with documents_app.app_context():
        (revision,) = db.session.scalars(select(DocumentRevision))
        assert (revision.number, revision.data, revision.reason) == (1, old, reason)
        assert revision.uploaded_by == "redakteurin" and revision.replaced_by == "freigabe"
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.editor, entry.key) == (
        "file-replace",
        "freigabe",
        f"document:{document.id}",
    )
    assert entry.old["sha256"] == hashlib.sha256(old).hexdigest()
    assert entry.old["revision"] == 1 and entry.old["reason"] == reason
    assert entry.new["sha256"] == document.sha256 and entry.new["findings"] == []
    page = reviewer.get(f"/redaktion/dokumente/{document.id}").text
    assert "Frühere Dateien" in page and "Grundlagen erfüllt" in page
    earlier = reviewer.get(f"/redaktion/dokumente/{document.id}/fassungen/1")
    assert earlier.status_code == 200 and earlier.data == old
    assert "bericht-fassung-1.pdf" in earlier.headers["Content-Disposition"]
    assert visitor.get(f"/redaktion/dokumente/{document.id}/fassungen/1").status_code == 303
    assert "Datei eines Dokuments ersetzt" in reviewer.get("/redaktion/protokoll").text


def test_replacing_is_checked_like_an_upload_and_keeps_the_four_eyes(documents_app):
    editor = logged_in(documents_app, "redakteurin")
    assert upload(editor, make_pdf(True), slug="bericht").status_code == 303
    (document,) = stored(documents_app)
    original = document.sha256
    # A draft: Redaktion replaces it; HTML named .pdf and a too large file are refused.
    refused = replace(editor, document.id, HTML_AS_PDF, reason="Grund bleibt stehen")
    assert refused.status_code == 422
    assert "Dieser Dateityp ist nicht erlaubt" in refused.text
    assert 'aria-invalid="true"' in refused.text
    too_large = replace(
        editor, document.id, b"%PDF-1.7\n" + bytes(21 * 1024 * 1024), reason="Grund bleibt"
    )
    assert too_large.status_code == 413
    assert '<a href="#file">Die Datei ist zu groß (21' in too_large.text
    assert ">Grund bleibt</textarea>" in too_large.text
    assert stored(documents_app)[0].sha256 == original
    untagged = make_pdf(False)
    assert replace(editor, document.id, untagged).status_code == 303
    (document,) = stored(documents_app)
    assert document.sha256 == hashlib.sha256(untagged).hexdigest()
    assert document.findings and document.status == "draft"
    # Published: only Freigabe replaces (the new file goes live at once) ...
    reviewer = logged_in(documents_app, "freigabe")
    assert publish(reviewer, document.id, reason="Erster Grund").status_code == 303
    assert editor.get(f"/redaktion/dokumente/{document.id}/ersetzen").status_code == 403
    assert "Datei ersetzen" not in editor.get(f"/redaktion/dokumente/{document.id}").text
    assert "Datei ersetzen" in reviewer.get(f"/redaktion/dokumente/{document.id}").text
    # ... and a new file lacking the basics needs a reason, which the statement then lists.
    other = make_pdf(False, title="Zweite Fassung")
    missing = replace(reviewer, document.id, other, reason="  ")
    assert missing.status_code == 422
    assert 'id="reason-fehler"' in missing.text and "Bitte begründen Sie das" in missing.text
    assert stored(documents_app)[0].sha256 == hashlib.sha256(untagged).hexdigest()
    assert replace(reviewer, document.id, other, reason="Zweiter Grund").status_code == 303
    statement = documents_app.test_client().get("/barrierefreiheit").text
    assert "Zweiter Grund" in statement and "Erster Grund" not in statement
    with documents_app.app_context():
        numbers = list(db.session.scalars(select(DocumentRevision.number)))
    assert sorted(numbers) == [1, 2]
    # Without a valid CSRF token nothing happens, and the form comes back filled in (400);
    # an unknown document is a 404.
    boundary, body = encode_multipart(
        {"reason": "Dritter Grund", "file": FileStorage(io.BytesIO(other), "x.pdf")}
    )
    response = reviewer.post(
        f"/redaktion/dokumente/{document.id}/ersetzen",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert "Nicht gespeichert" in response.text and ">Dritter Grund</textarea>" in response.text
    expired = upload(
        logged_in(documents_app, "redakteurin"), make_pdf(True), csrf_token="abgelaufen"
    )
    assert expired.status_code == 400
    assert 'value="Sozialbericht NRW 2025"' in expired.text and "Nicht gespeichert" in expired.text
    assert len(stored(documents_app)) == 1
    assert reviewer.get("/redaktion/dokumente/99999/ersetzen").status_code == 404


def test_anonymous_visitors_reach_no_editor_document_page(documents_app):
    client = documents_app.test_client()
    for path in ("/redaktion/dokumente/", "/redaktion/dokumente/neu", "/redaktion/dokumente/1"):
        response = client.get(path)
        assert response.status_code == 303
        assert "/redaktion/anmelden" in response.headers["Location"]


# --- two instances, one database ----------------------------------------------------------


def test_a_published_document_is_served_by_every_instance_with_its_headers(
    fresh_postgres_url, own_translations
):
    first = make_editor_app(fresh_postgres_url, own_translations)
    second = make_editor_app(fresh_postgres_url, own_translations)
    try:
        add_editors(first)
        with first.app_context():
            db.session.add(
                Editor(name="freigabe", password_hash=password_hash(PASSWORD), role="freigabe")
            )
            db.session.commit()
        visitor = second.test_client()
        assert 'href="/dokumente/sozialbericht-nrw"' not in visitor.get("/sozialberichte/").text
        data = make_pdf(True)
        editor = logged_in(first, "redakteurin")
        assert upload(editor, data, slug="sozialbericht-nrw").status_code == 303
        (document,) = stored(first)
        assert visitor.get("/dokumente/sozialbericht-nrw").status_code == 404  # a draft
        assert publish(logged_in(first, "freigabe"), document.id).status_code == 303
        response = visitor.get("/dokumente/sozialbericht-nrw")
        assert response.status_code == 200
        assert response.data == data
        assert response.mimetype == "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        # like a page: browsers ask again each time (a 304 by ETag), nginx keeps it 1 s
        assert response.headers["Cache-Control"] == "public, max-age=0, s-maxage=1"
        assert response.headers["Content-Disposition"] == (
            'inline; filename="sozialbericht-nrw.pdf"'
        )
        assert response.headers["ETag"] == f'"{document.sha256}"'
        again = visitor.get(
            "/dokumente/sozialbericht-nrw", headers={"If-None-Match": response.headers["ETag"]}
        )
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == response.headers["ETag"]
        # The other instance's cached page lists it within seconds.
        start = time.monotonic()
        while 'href="/dokumente/sozialbericht-nrw"' not in visitor.get("/sozialberichte/").text:
            assert time.monotonic() - start < 5, "the other instance does not list it"
            time.sleep(0.1)
        # A corrected file (Freigabe replaces it on the first instance): the second serves
        # it at once with a new ETag, and its cached page shows the new size within seconds.
        corrected = make_pdf(True, title="Sozialbericht NRW (korrigiert)", padding=300_000)
        assert replace(logged_in(first, "freigabe"), document.id, corrected).status_code == 303
        response = visitor.get(
            "/dokumente/sozialbericht-nrw", headers={"If-None-Match": response.headers["ETag"]}
        )
        assert response.status_code == 200 and response.data == corrected
        assert response.headers["ETag"] == f'"{hashlib.sha256(corrected).hexdigest()}"'
        size = f"(PDF, {filesize(len(corrected))})"
        start = time.monotonic()
        while size not in visitor.get("/sozialberichte/").text:
            assert time.monotonic() - start < 5, "the other instance shows the old size"
            time.sleep(0.1)
    finally:
        dispose_app(first)
        dispose_app(second)


def test_pages_render_without_their_documents_when_the_database_is_unavailable(tmp_path):
    from .conftest import make_app

    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path}/missing/none.sqlite3")  # cannot open
    client = app.test_client()
    page = client.get("/sozialberichte/")
    assert page.status_code == 200
    assert "/dokumente/" not in page.text
    assert client.get("/barrierefreiheit").status_code == 200
    assert client.get("/dokumente/sozialbericht-nrw").status_code == 503
    dispose_app(app)
