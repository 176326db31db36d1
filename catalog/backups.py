"""Backups of the database and the media files, and their restore.

A backup is a folder ``<BACKUP_DIR>/<YYYYmmdd-HHMMSS>/`` (``BACKUP_DIR`` defaults to
``backups/`` in the project) holding:

- ``database.sqlite3``: a consistent copy of a SQLite database, made with SQLite's
  online backup API while the site runs; or ``database.pgdump``: ``pg_dump
  --format=custom`` of a PostgreSQL database;
- ``media.tar.gz``: every file under ``MEDIA_ROOT`` (absent when media live in an
  S3 bucket: the bucket's own versioning or replication keeps them);
- ``manifest.json``: when, which database engine and Django/Wagtail versions, the
  latest applied migration of each app, each file's size and SHA-256.

Restoring checks the manifest's checksums first, then replaces the database's
contents (SQLite: the backup API the other way; PostgreSQL: ``pg_restore --clean
--if-exists --single-transaction``) and the media folder (the files it replaces are
moved to ``<MEDIA_ROOT>.replaced-<timestamp>`` beside it, not deleted). Stop the
application servers while restoring.

PostgreSQL's client programs are looked up in ``PG_BINDIR`` if set, then in
``/usr/lib/postgresql/<server major version>/bin`` (Debian's layout), then on ``PATH``:
``pg_dump`` must not be older than the server.
"""

import datetime
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def backup_root():
    """The folder that holds the backups: ``BACKUP_DIR`` or ``<project>/backups``."""
    return Path(os.environ.get("BACKUP_DIR") or Path(settings.BASE_DIR) / "backups")


def media_on_local_disk():
    """Whether media files live under ``MEDIA_ROOT`` (else in remote storage)."""
    backend = settings.STORAGES["default"]["BACKEND"]
    return backend == "django.core.files.storage.FileSystemStorage"


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- PostgreSQL client programs ------------------------------------------------------


def pg_program(name, connection):
    """The path of ``pg_dump``/``pg_restore`` suited to ``connection``'s server."""
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]) / name)
    major = connection.pg_version // 10000 if connection.pg_version else None
    if major:
        candidates.append(Path(f"/usr/lib/postgresql/{major}/bin") / name)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(
        f"{name} not found (looked in PG_BINDIR, /usr/lib/postgresql/<version>/bin and PATH): "
        "install the PostgreSQL client programs of the server's version "
        "(e.g. apt-get install postgresql-client-15) or set PG_BINDIR."
    )


def pg_arguments(connection):
    """``(args, env)``: connection options for pg_dump/pg_restore from the settings
    (the password through ``PGPASSWORD``, never on the command line)."""
    params = connection.settings_dict
    args = []
    if params.get("HOST"):
        args += ["--host", params["HOST"]]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", params["USER"]]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    args += ["--dbname", params["NAME"]]
    return args, env


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed (exit {result.returncode}): "
            f"{(result.stderr or result.stdout).strip()}"
        )
    return result


# --- Backup ----------------------------------------------------------------------------


def _dump_database(connection, folder):
    """Write the database into ``folder``; return the file's name."""
    target = folder / DATABASE_FILES.get(connection.vendor, "")
    if connection.in_atomic_block:
        # SQLite's backup would wait forever for this connection's own open transaction.
        raise BackupError("Back up outside a database transaction.")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    elif connection.vendor == "postgresql":
        connection.ensure_connection()
        args, env = pg_arguments(connection)
        _run(
            [pg_program("pg_dump", connection), "--format=custom", "--no-password"]
            + args
            + ["--file", str(target)],
            env,
        )
    else:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return target.name


def _archive_media(folder):
    """Tar every file under MEDIA_ROOT into ``folder``; return (name, file count)."""
    root = Path(settings.MEDIA_ROOT)
    count = 0
    with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as archive:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() or path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(root)), recursive=False)
                    count += 1
    return MEDIA_ARCHIVE, count


def _migrations(connection):
    """``{app: latest applied migration}``."""
    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def create_backup(destination=None, include_media=True, using="default"):
    """Back up the database (and media) into a new timestamped folder under
    ``destination`` (default :func:`backup_root`); returns the folder's Path."""
    connection = connections[using]
    root = Path(destination) if destination else backup_root()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = root / stamp
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = root / f"{stamp}-{suffix}"
    folder.mkdir(parents=True)
    try:
        files = [_dump_database(connection, folder)]
        media = {"storage": "local" if media_on_local_disk() else "remote", "files": None}
        if include_media and media_on_local_disk():
            name, media["files"] = _archive_media(folder)
            files.append(name)
        manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "host": socket.gethostname(),
            "database": {
                "vendor": connection.vendor,
                "name": str(connection.settings_dict["NAME"]),
                "file": files[0],
            },
            "media": media,
            "versions": {"django": django.get_version(), "wagtail": wagtail.__version__},
            "migrations": _migrations(connection),
            "files": {name: {"bytes": (folder / name).stat().st_size} for name in files},
        }
        for name in files:
            manifest["files"][name]["sha256"] = sha256(folder / name)
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


# --- Restore ---------------------------------------------------------------------------


def read_manifest(folder):
    """The checked manifest of the backup in ``folder`` (BackupError if anything is off)."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.") from None
    except json.JSONDecodeError as error:
        raise BackupError(f"{folder / MANIFEST} is not valid JSON: {error}") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, facts in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise BackupError(f"{path} is missing.")
        if sha256(path) != facts["sha256"]:
            raise BackupError(f"{path} is damaged: its checksum differs from the manifest's.")
    return manifest


def _restore_database(connection, folder, manifest):
    source = folder / manifest["database"]["file"]
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"The backup is of a {vendor} database; the configured one is {connection.vendor}."
        )
    if vendor == "sqlite":
        connection.close()
        connection.ensure_connection()
        with sqlite3.connect(source) as backup:
            backup.backup(connection.connection)
        backup.close()
        connection.close()
    else:
        connection.close()
        args, env = pg_arguments(connection)
        _run(
            [
                pg_program("pg_restore", connection),
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                "--no-password",
            ]
            + args
            + [str(source)],
            env,
        )


def _restore_media(folder):
    """Replace MEDIA_ROOT's files with the archive's; returns the folder that now holds
    the replaced files (None if there were none)."""
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=root.parent))
    try:
        with tarfile.open(folder / MEDIA_ARCHIVE, "r:gz") as archive:
            archive.extractall(staging, filter="data")  # no absolute paths, no ".."
        replaced = None
        current = list(root.iterdir())
        if current:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            replaced = root.parent / f"{root.name}.replaced-{stamp}"
            replaced.mkdir()
            for entry in current:
                shutil.move(str(entry), replaced / entry.name)
        for entry in staging.iterdir():
            shutil.move(str(entry), root / entry.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return replaced


def restore_backup(folder, include_media=True, using="default"):
    """Restore the backup in ``folder``: checks it, then replaces the database and
    (unless ``include_media`` is false, or the backup has none) the media files.
    Returns ``(manifest, replaced_media_folder_or_None)``."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    connection = connections[using]
    _restore_database(connection, folder, manifest)
    replaced = None
    if include_media and MEDIA_ARCHIVE in manifest["files"]:
        if not media_on_local_disk():
            raise BackupError(
                "The backup holds media files but media are configured on remote storage: "
                "restore with --no-media and copy media.tar.gz's files to the bucket."
            )
        replaced = _restore_media(folder)
    return manifest, replaced
