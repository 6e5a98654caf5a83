"""Database fixtures: a real PostgreSQL server for the storage tests, and fresh databases.

``postgres_url`` (session scope, one server per xdist worker) starts Debian's PostgreSQL
(``/usr/lib/postgresql/<version>/bin``, installed by ``make test``) in a temporary directory:
``initdb`` and ``pg_ctl`` run as the ``postgres`` user when the tests run as root (``initdb``
refuses root), the server listens on a Unix socket in that directory only
(``listen_addresses=''``), and the directory is removed afterwards. It yields a URL such as
``postgresql://postgres@/postgres?host=/tmp/…`` for the server's ``postgres`` database.

``fresh_postgres_url`` (function scope) creates an empty database on that server for one
test and drops it afterwards. ``database_url`` is parametrised over ``sqlite`` and
``postgresql``: a test that uses it runs once on each, with an empty database.

``migrated_app(url, **config)`` makes the test app on a given database and applies every
migration (``flask_migrate.upgrade()``); ``dispose_app(app)`` closes its connections (call it
when the test is done, outside any app context, before the database is dropped).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid

import flask_migrate
import pytest

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def _pg_bindir() -> str:
    if os.environ.get("PG_BINDIR"):
        return os.environ["PG_BINDIR"]
    found = sorted(glob.glob(PG_BIN_GLOB), key=lambda p: int(p.split("/")[-2]))
    if not found:
        pytest.fail("Debian's postgresql package is needed for the storage tests: run `make test`")
    return found[-1]


def _as_postgres(args: list[str]) -> list[str]:
    """``initdb`` refuses to run as root: run the server tools as ``postgres`` then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _run(args: list[str]) -> None:
    result = subprocess.run(_as_postgres(args), capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def postgres_url():
    """A running PostgreSQL server on a Unix socket in a temporary directory; its URL."""
    bindir = _pg_bindir()
    root = tempfile.mkdtemp(prefix="sozialberichte-pg-")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, log = os.path.join(root, "data"), os.path.join(root, "server.log")
    _run(
        [
            f"{bindir}/initdb",
            "--pgdata",
            data,
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ]
    )
    options = f"-k {root} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    _run([f"{bindir}/pg_ctl", "--pgdata", data, "--log", log, "-o", options, "-w", "start"])
    try:
        yield f"postgresql://postgres@/postgres?host={root}"
    finally:
        subprocess.run(
            _as_postgres([f"{bindir}/pg_ctl", "--pgdata", data, "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture()
def fresh_postgres_url(postgres_url):
    """An empty database on the test server for one test, dropped afterwards."""
    import psycopg

    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_url.replace("/postgres?", f"/{name}?", 1)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database: a SQLite file, then a database on the PostgreSQL test server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/test.sqlite3"
    return request.getfixturevalue("fresh_postgres_url")


def migrated_app(url: str, **config):
    """The test app on the database at ``url``, with every migration applied."""
    from .conftest import make_app

    app = make_app(DATABASE_URL=url, **config)
    with app.app_context():
        flask_migrate.upgrade()
    return app


def dispose_app(app) -> None:
    """Closes every pooled connection of ``app`` (psycopg warns about unclosed ones)."""
    from webapp.db import db

    with app.app_context():
        db.engine.dispose()
