"""The database: SQLAlchemy models live in the modules that use them; migrations with
Alembic (Flask-Migrate) in ``migrations/``. SQLite in the instance folder by default,
PostgreSQL through ``DATABASE_URL``."""

from __future__ import annotations

import os

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


def database_url(app: Flask) -> str:
    url = app.config.get("DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        # SQLAlchemy's name for the psycopg 3 driver.
        if url.startswith("postgres://"):
            url = "postgresql://" + url.removeprefix("postgres://")
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    path = os.path.join(app.instance_path, "sozialberichte.sqlite3")
    private_sqlite_file(path)
    return "sqlite:///" + path


def private_sqlite_file(path: str) -> None:
    """Create the SQLite file (and its folder) readable by its owner only, whatever the umask:
    it holds visitors' messages (SQLite gives its journal the same mode). A folder or file
    created earlier with a wider mode is tightened, when it is ours."""
    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for name, mode in ((folder, 0o700), (path, 0o600)):
        info = os.stat(name)
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.chmod(name, mode)


def init_app(app: Flask) -> None:
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", database_url(app))
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
