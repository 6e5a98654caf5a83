"""The deployment files agree with the portal (issue 11, point 7): nginx's body limits are
the portal's own (``MAX_CONTENT_LENGTH`` for forms, ``EDITOR_UPLOAD_MAX`` for a ``.po``
upload), and nginx offers only forward-secret ciphers. Read from deploy/nginx.conf.template,
so these run in ``make test`` without nginx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from webapp.editor.documents import request_max

from .conftest import make_app

TEMPLATE = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf.template"
UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()
    return int(number) * UNITS[unit]


def server_block() -> str:
    text = TEMPLATE.read_text()
    return text[text.index("listen ${LISTEN_HTTPS}") :]


def body_limits() -> tuple[int, dict[str, int]]:
    """nginx's ``client_max_body_size`` in ``http`` and per ``location`` of the HTTPS server."""
    text = TEMPLATE.read_text()
    outer = size(re.search(r"^    client_max_body_size (\S+);", text, re.M)[1])
    locations = {}
    for match in re.finditer(r"location ([^{]+)\{([^}]*)\}", server_block()):
        found = re.search(r"client_max_body_size (\S+);", match[2])
        if found:
            locations[match[1].strip()] = size(found[1])
    return outer, locations


@pytest.fixture(scope="module")
def config():
    return make_app().config


def test_nginx_takes_exactly_the_bodies_the_portal_takes(config):
    outer, locations = body_limits()
    assert outer == config["MAX_CONTENT_LENGTH"], "forms: nginx's limit is the portal's"
    [(location, upload)] = [(loc, limit) for loc, limit in locations.items() if "hochladen" in loc]
    assert upload == config["EDITOR_UPLOAD_MAX"], "a .po upload: nginx's limit is the portal's"
    pattern = re.fullmatch(r"~ (\S+)", location)[1]
    for path in ("/redaktion/en/hochladen", "/redaktion/leichte-sprache/hochladen"):
        assert re.search(pattern, path), path
    assert not re.search(pattern, "/kontakt")
    # a document upload or replacement: the largest body the portal reads (a too large file
    # is read and thrown away so the form's other fields are kept), a little room above it
    [(location, document)] = [(loc, n) for loc, n in locations.items() if "dokumente" in loc]
    with make_app().test_request_context():
        limit = request_max()
    assert limit <= document <= limit + 2**20
    pattern = re.fullmatch(r"~ (\S+)", location)[1]
    for path in ("/redaktion/dokumente/neu", "/en/redaktion/dokumente/12/ersetzen"):
        assert re.search(pattern, path), path
    assert not re.search(pattern, "/redaktion/dokumente/12/veroeffentlichen")


def ssl_setting(name: str) -> str:
    return re.search(rf"^\s*{name} ([^;]+);", server_block(), re.M)[1]


def test_nginx_offers_only_forward_secret_aead_ciphers():
    """Mozilla's "intermediate" set as far as BSI TR-02102-2 recommends it: TLS 1.2 and 1.3,
    ECDHE (or DHE) key exchange, AES-GCM. OpenSSL expands the list as nginx would."""
    import subprocess

    assert ssl_setting("ssl_protocols").split() == ["TLSv1.2", "TLSv1.3"]
    listing = subprocess.run(
        ["openssl", "ciphers", "-v", "-tls1_2", ssl_setting("ssl_ciphers")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    tls12 = [line.split() for line in listing if " TLSv1.2 " in line]
    assert tls12, listing
    for name, _version, kx, au, enc, *_ in tls12:
        assert kx in ("Kx=ECDH", "Kx=DH"), f"{name}: no forward secrecy"
        assert au in ("Au=RSA", "Au=ECDSA"), name
        assert enc.startswith("Enc=AESGCM"), f"{name}: not AES-GCM"


@pytest.mark.deploy
@pytest.mark.xdist_group("deploy")
def test_nginx_refuses_a_cipher_without_forward_secrecy(deploy_stack):
    import socket
    import ssl

    def handshake(ciphers: str) -> str:
        context = deploy_stack.tls()
        context.maximum_version = ssl.TLSVersion.TLSv1_2
        context.set_ciphers(ciphers)
        address = ("127.0.0.1", deploy_stack.https_port)
        with (
            socket.create_connection(address, timeout=10) as raw,
            context.wrap_socket(raw, server_hostname="127.0.0.1") as conn,
        ):
            return conn.cipher()[0]

    assert handshake("ECDHE+AESGCM").startswith("ECDHE-")
    for static_rsa in ("AES256-GCM-SHA384", "AES128-GCM-SHA256", "AES128-SHA"):
        with pytest.raises(ssl.SSLError):
            handshake(static_rsa)


def test_the_sqlite_file_and_the_instance_folder_are_private(tmp_path):
    """``instance/`` holds the secret key and the database with visitors' messages: neither
    the folder nor the SQLite file (nor its journal) may be readable by other users."""
    import os
    import stat
    from types import SimpleNamespace

    import sqlalchemy

    from webapp.db import database_url

    old_umask = os.umask(0o022)  # a usual login umask: files 644, folders 755
    try:
        instance = tmp_path / "instance"
        app = SimpleNamespace(config={}, instance_path=str(instance))
        url = database_url(app)
        engine = sqlalchemy.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text("create table t (x text)"))
            conn.execute(sqlalchemy.text("insert into t values ('Nachricht')"))
        engine.dispose()
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    files = list(instance.iterdir())
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path.name} readable by others"
    # A folder created earlier with the usual umask is tightened too.
    instance.chmod(0o755)
    (instance / "sozialberichte.sqlite3").chmod(0o644)
    database_url(app)
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    assert stat.S_IMODE((instance / "sozialberichte.sqlite3").stat().st_mode) == 0o600


def test_make_run_creates_the_secret_key_and_instance_folder_privately():
    makefile = (TEMPLATE.parent.parent / "Makefile").read_text()
    recipe = re.search(r"^instance/secret_key:\n((?:\t.*\n)+)", makefile, re.M)[1]
    assert "umask 077" in recipe or "-m 700" in recipe, recipe


@pytest.mark.deploy
@pytest.mark.xdist_group("deploy")
def test_through_nginx_an_upper_case_htmx_header_never_serves_a_fragment_as_the_page(
    deploy_stack,
):
    """The audit's finding: 16 of 20 visits to /en/barrierefreiheit got the fragment that
    ``HX-Request: TRUE`` had put into the page caches of the instances behind nginx."""
    path = "/en/barrierefreiheit?audit=1"
    for value in ("TRUE", "True", "tRuE") * 4:
        fragment = deploy_stack.get(path, HX_Request=value)
        assert fragment.status == 200 and "<html" not in fragment.text
        restore = deploy_stack.get(path, HX_Request="true", HX_History_Restore_Request=value)
        assert "<html" in restore.text
    visits = [deploy_stack.get(path) for _ in range(20)]
    assert sum("<html" in visit.text for visit in visits) == 20


@pytest.mark.deploy
@pytest.mark.xdist_group("deploy")
def test_through_nginx_idle_clients_and_a_long_pause_cost_nothing(deploy_stack):
    """Production (sync workers behind nginx) holds the same visitors as ``make run``
    (tests/test_server.py): 12 idle connections, 35 s of silence on a kept-alive
    connection, then the next click on it answers within 2 s."""
    import http.client
    import socket
    import time

    port = deploy_stack.https_port
    idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(12)]
    reader = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=deploy_stack.tls())
    try:
        reader.request("GET", "/hilfen")
        first = reader.getresponse()
        first.read()
        assert first.status == 200
        kept = reader.sock
        time.sleep(35)
        started = time.monotonic()
        reader.request("GET", "/barrierefreiheit")
        again = reader.getresponse()
        again.read()
        took = time.monotonic() - started
        assert again.status == 200 and took < 2.0, (again.status, took)
        assert reader.sock is kept, "nginx closed the kept-alive connection during the pause"
    finally:
        reader.close()
        for conn in idle:
            conn.close()
