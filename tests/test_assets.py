"""Static files under names with their content hash, cached for a year, precompressed."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli

from webapp.assets import IMMUTABLE

ROOT = Path(__file__).resolve().parent.parent
HASHED = re.compile(r"/static/(?P<stem>[\w/.-]+?)\.(?P<digest>[0-9a-f]{10})(?P<ext>\.\w+)$")


def static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_every_stylesheet_and_script_of_a_page_has_a_hashed_name(client, pages):
    for path in list(pages)[:3] + ["/en/", "/leichte-sprache/kontakt"]:
        urls = static_urls(client.get(path).get_data(as_text=True))
        assert any(u.endswith(".css") for u in urls) and any(u.endswith(".js") for u in urls)
        for url in urls:
            match = HASHED.match(url)
            assert match, f"{path}: {url} has no content hash in its name"
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers["Cache-Control"] == IMMUTABLE
            original = (ROOT / "static" / (match["stem"] + match["ext"])).read_bytes()
            assert response.data == original


def test_the_hash_changes_with_the_content(tmp_path):
    from webapp.assets import StaticAssets

    (tmp_path / "a.css").write_text("body { color: black }")
    first = StaticAssets(str(tmp_path)).hashed_name("a.css")
    (tmp_path / "a.css").write_text("body { color: navy }")
    second = StaticAssets(str(tmp_path)).hashed_name("a.css")
    assert first != second and first.startswith("a.") and first.endswith(".css")


def test_css_and_js_are_sent_compressed_and_revalidate_with_304(client):
    html = client.get("/").get_data(as_text=True)
    # CSS and JS (the favicon is smaller than compression's minimum size).
    for url in [u for u in static_urls(html) if u.endswith((".css", ".js"))]:
        plain = client.get(url, headers={"Accept-Encoding": "identity"}).data
        br = client.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert br.headers["Content-Encoding"] == "br", url
        assert brotli.decompress(br.data) == plain
        gz = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert gzip.decompress(gz.data) == plain
        assert "Accept-Encoding" in br.headers["Vary"]
        again = client.get(
            url, headers={"Accept-Encoding": "gzip, br", "If-None-Match": br.headers["ETag"]}
        )
        assert again.status_code == 304


def test_unhashed_and_outdated_names_are_served_but_revalidated(client):
    for url in ("/static/dist/portal.css", "/static/dist/portal.0123456789.css"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
    assert client.get("/static/css/gibt-es-nicht.0123456789.css").status_code == 404
    assert client.get("/static/../webapp/config.py").status_code == 404
    assert client.get("/static/%2e%2e/webapp/config.py").status_code == 404


def test_the_stylesheet_is_built_from_kern_with_only_the_components_in_use():
    # make assets compiles static/scss/portal.scss with KERN's SCSS; KERN's whole
    # kern.min.css is about 340 KB, ours takes its tokens and the components in use.
    css = (ROOT / "static" / "dist" / "portal.css").read_text()
    assert len(brotli.compress(css.encode())) < 20 * 1024
    for used in (".kern-kopfzeile", ".kern-btn--primary", ".kern-alert", ".kern-badge"):
        assert used in css, used
    for unused in (".kern-dialog", ".kern-accordion", ".kern-task-list", ".kern-progress"):
        assert unused not in css, unused
    assert "--kern-color-action-default" in css
    assert "font-display:swap" in css.replace(" ", "")


def test_built_and_third_party_files_are_not_committed():
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [p for p in tracked if p.startswith(("static/dist/", "static/vendor/"))]
    assert not [p for p in tracked if p.endswith((".woff2", ".woff", ".ttf", ".mo"))]
