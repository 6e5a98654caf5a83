"""Documents in the editors' area, in a real browser: axe-core on every new page and state
(list, upload with errors, findings of an untagged PDF, publishing refused without a
reason, published), a real file upload, and the statement that lists the document."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select
from sqlalchemy import delete, select

from webapp.db import db
from webapp.downloads import DocumentFile, DocumentRevision
from webapp.editor import runtime
from webapp.editor.models import Editor

from .conftest import format_violations, run_axe
from .fixtures_editor import PASSWORD, password_hash
from .helpers import wait_for
from .test_downloads import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

REASON = "Eine barrierefreie Fassung ist beim Herausgeber bestellt."


@pytest.fixture()
def reviewer(app):
    """A Freigabe account in the live server's database; its documents removed after."""
    with app.app_context():
        if db.session.scalar(select(Editor).filter_by(name="freigabe-browser")) is None:
            db.session.add(
                Editor(
                    name="freigabe-browser",
                    password_hash=password_hash(PASSWORD),
                    role="freigabe",
                )
            )
            db.session.commit()
    yield "freigabe-browser"
    with app.app_context():
        ids = select(DocumentFile.id).where(DocumentFile.slug == "browser-doku")
        db.session.execute(delete(DocumentRevision).where(DocumentRevision.document_id.in_(ids)))
        db.session.execute(delete(DocumentFile).where(DocumentFile.slug == "browser-doku"))
        runtime.bump_revision()
        db.session.commit()


def axe_failures(browser, label: str) -> dict:
    results = run_axe(browser)
    return {label: format_violations(results["violations"])} if results["violations"] else {}


def test_document_pages_pass_axe_and_an_untagged_pdf_is_published_with_a_reason(
    browser, live_server, reviewer, tmp_path
):
    base = live_server.url
    browser.delete_all_cookies()
    failures = {}
    browser.get(base + "/redaktion/dokumente/")
    wait_for(browser, EC.presence_of_element_located((By.ID, "password")))
    browser.find_element(By.ID, "name").send_keys(reviewer)
    browser.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)
    wait_for(browser, EC.url_to_be(base + "/redaktion/dokumente/"))
    failures |= axe_failures(browser, "documents")
    # The upload form, sent empty: the error summary takes the focus.
    browser.find_element(By.LINK_TEXT, "Dokument hochladen").click()
    wait_for(browser, EC.presence_of_element_located((By.ID, "file")))
    failures |= axe_failures(browser, "upload")
    browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type='submit']").click()
    wait_for(browser, EC.presence_of_element_located((By.ID, "fehler")))
    wait_for(browser, lambda b: b.switch_to.active_element.get_attribute("id") == "fehler")
    assert browser.find_element(By.ID, "title").get_attribute("aria-invalid") == "true"
    failures |= axe_failures(browser, "upload with errors")
    # An untagged PDF: stored as a draft, the findings shown.
    pdf = tmp_path / "dokumentation.pdf"
    pdf.write_bytes(make_pdf(False))
    browser.find_element(By.ID, "file").send_keys(str(pdf))
    browser.find_element(By.ID, "title").send_keys("Dokumentation im Browser")
    Select(browser.find_element(By.ID, "language")).select_by_value("de")
    browser.find_element(By.ID, "slug").send_keys("browser-doku")
    browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type='submit']").click()
    wait_for(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".kern-alert--warning")))
    assert "nicht getaggt" in browser.find_element(By.CSS_SELECTOR, ".kern-alert--warning").text
    failures |= axe_failures(browser, "document with findings")
    detail = browser.current_url
    # Publishing without a reason is refused.
    browser.find_element(By.XPATH, "//button[normalize-space()='Veröffentlichen']").click()
    wait_for(browser, EC.presence_of_element_located((By.ID, "fehler")))
    assert browser.find_element(By.ID, "reason").get_attribute("aria-invalid") == "true"
    failures |= axe_failures(browser, "publishing refused")
    browser.find_element(By.ID, "reason").send_keys(REASON)
    browser.find_element(By.XPATH, "//button[normalize-space()='Veröffentlichen']").click()
    wait_for(browser, lambda b: "Das Dokument ist veröffentlicht." in b.page_source)
    assert browser.current_url == detail
    failures |= axe_failures(browser, "document published")
    browser.get(base + "/redaktion/protokoll")
    failures |= axe_failures(browser, "audit log with documents")
    # The statement lists it, for visitors (no editor cookie: the public, cached page).
    browser.delete_all_cookies()
    for prefix in ("", "/en"):
        browser.get(base + prefix + "/barrierefreiheit")
        wait_for(browser, lambda b: REASON in b.page_source)
        failures |= axe_failures(browser, f"statement {prefix or 'de'}")
    assert not failures, "\n".join(f"{page}:\n{text}" for page, text in failures.items())


def test_a_too_large_file_keeps_the_fields_and_a_file_is_replaced(
    browser, live_server, reviewer, tmp_path
):
    """A 50 MB file in a real browser: the error summary takes the focus, its link leads to
    the file field, and title, language, address and reason are still filled in. Then a
    corrected file replaces the document's; every page passes axe."""
    base = live_server.url
    browser.delete_all_cookies()
    failures = {}
    browser.get(base + "/redaktion/dokumente/neu")
    wait_for(browser, EC.presence_of_element_located((By.ID, "password")))
    browser.find_element(By.ID, "name").send_keys(reviewer)
    browser.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)
    wait_for(browser, EC.presence_of_element_located((By.ID, "file")))
    big = tmp_path / "bericht-gross.pdf"
    with big.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        out.truncate(50 * 1024 * 1024)
    browser.find_element(By.ID, "file").send_keys(str(big))
    browser.find_element(By.ID, "title").send_keys("Dokumentation im Browser")
    Select(browser.find_element(By.ID, "language")).select_by_value("en")
    browser.find_element(By.ID, "slug").send_keys("browser-doku")
    browser.find_element(By.ID, "reason").send_keys(REASON)
    browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type='submit']").click()
    wait_for(browser, EC.presence_of_element_located((By.ID, "fehler")), timeout=60)
    wait_for(browser, lambda b: b.switch_to.active_element.get_attribute("id") == "fehler")
    link = browser.find_element(By.CSS_SELECTOR, ".error-summary a")
    assert link.get_attribute("href").endswith("#file")
    assert link.text.startswith("Die Datei ist zu groß (50")
    assert browser.find_element(By.ID, "file").get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, "title").get_attribute("value") == (
        "Dokumentation im Browser"
    )
    assert (
        Select(browser.find_element(By.ID, "language")).first_selected_option.get_attribute("value")
        == "en"
    )
    assert browser.find_element(By.ID, "slug").get_attribute("value") == "browser-doku"
    assert browser.find_element(By.ID, "reason").get_attribute("value") == REASON
    assert browser.title.startswith("Fehler:")
    failures |= axe_failures(browser, "upload too large")
    # Only the file is chosen again.
    pdf = tmp_path / "bericht.pdf"
    pdf.write_bytes(make_pdf(False))
    browser.find_element(By.ID, "file").send_keys(str(pdf))
    browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type='submit']").click()
    wait_for(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".kern-alert--warning")))
    # Replace it: sent without a file first, then with a corrected (tagged) PDF.
    browser.find_element(By.LINK_TEXT, "Datei ersetzen").click()
    wait_for(browser, EC.presence_of_element_located((By.ID, "file")))
    assert browser.find_element(By.ID, "reason").get_attribute("value") == REASON
    failures |= axe_failures(browser, "replace")
    before = browser.find_element(By.ID, "file")
    browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type='submit']").click()
    wait_for(browser, EC.staleness_of(before))
    wait_for(browser, EC.presence_of_element_located((By.ID, "fehler")))
    wait_for(browser, lambda b: b.switch_to.active_element.get_attribute("id") == "fehler")
    assert browser.find_element(By.ID, "file").get_attribute("aria-invalid") == "true"
    failures |= axe_failures(browser, "replace with errors")
    corrected = tmp_path / "bericht-korrigiert.pdf"
    corrected.write_bytes(make_pdf(True))
    browser.find_element(By.ID, "file").send_keys(str(corrected))
    browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type='submit']").click()
    wait_for(browser, lambda b: "Die neue Datei ist gespeichert." in b.page_source)
    assert "Grundlagen erfüllt" in browser.page_source
    assert browser.find_element(By.XPATH, "//h2[normalize-space()='Frühere Dateien']")
    failures |= axe_failures(browser, "document with an earlier file")
    assert not failures, "\n".join(f"{page}:\n{text}" for page, text in failures.items())
