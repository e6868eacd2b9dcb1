"""Backups of a whole installation: the database and the stored files, in one archive.

``backup()`` writes ``gongzhi-backup-YYYYmmdd-HHMMSS.tar.gz`` holding:

- ``database.sqlite3`` — SQLite's own online backup (consistent while the server
  runs; readers and the writer go on), or ``database.dump`` — ``pg_dump`` in its
  custom format for PostgreSQL;
- ``media/`` — every stored file (evidence scans, attachments, job results);
- ``manifest.json`` — when, which database engine, the applied migrations, and the
  SHA-256 of every file in the archive, checked again on restore.

``restore()`` checks the manifest, refuses an archive from another engine or from a
newer version of the code (migrations this code does not have), then replaces the
database (SQLite's backup API into the live connection; ``pg_restore --clean``) and
the stored files. Stop the web server and the worker first.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .errors import ApplicationError

FORMAT = 1


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client tool (pg_dump, pg_restore): on PATH, or in
    Debian's versioned folders, the newest first."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        candidate = Path(folder, name)
        if candidate.exists():
            return str(candidate)
    raise ApplicationError(f"{name} not found: install the PostgreSQL client (postgresql-client)")


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    arguments = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        arguments += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", str(db["USER"])]
    environment = {**os.environ}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    return arguments, environment


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


@dataclass
class BackupReport:
    path: Path
    files: int
    size: int


def backup(*, directory: Path) -> BackupReport:
    """Write an archive of the database and the stored files into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = directory / f"gongzhi-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="gongzhi-backup-") as work:
        staging = Path(work)
        if connection.vendor == "sqlite":
            database = staging / "database.sqlite3"
            connection.ensure_connection()
            copy = sqlite3.connect(database)
            try:
                connection.connection.backup(copy)
            finally:
                copy.close()
        elif connection.vendor == "postgresql":
            database = staging / "database.dump"
            arguments, environment = _pg_environment()
            subprocess.run(  # noqa: S603 - our own arguments, no shell
                [
                    pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(database),
                    *arguments,
                ],
                check=True,
                env=environment,
                capture_output=True,
            )
        else:
            raise ApplicationError(f"backups of {connection.vendor} are not supported")
        media = Path(settings.MEDIA_ROOT)
        files = {database.name: _sha256(database)}
        with tarfile.open(target, "w:gz") as archive:
            archive.add(database, arcname=database.name)
            if media.exists():
                for path in sorted(p for p in media.rglob("*") if p.is_file()):
                    name = "media/" + path.relative_to(media).as_posix()
                    files[name] = _sha256(path)
                    archive.add(path, arcname=name)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "engine": connection.vendor,
                "migrations": _migrations(),
                "files": files,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
    return BackupReport(path=target, files=len(files), size=target.stat().st_size)


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Only plain files inside the archive's own folders: no links, no ../ paths."""
    members = []
    for member in archive.getmembers():
        name = Path(member.name)
        if member.isdir():
            continue
        if not member.isfile() or name.is_absolute() or ".." in name.parts:
            raise ApplicationError(f"the archive holds an unsafe entry: {member.name}")
        members.append(member)
    return members


def restore(*, path: Path) -> dict:
    """Replace the database and the stored files with those of a backup archive."""
    if not path.exists():
        raise ApplicationError(f"{path}: no such file")
    with tempfile.TemporaryDirectory(prefix="gongzhi-restore-") as work:
        staging = Path(work)
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(staging, members=_safe_members(archive), filter="data")
        manifest_path = staging / "manifest.json"
        if not manifest_path.exists():
            raise ApplicationError(f"{path.name}: not a gongzhi backup (no manifest)")
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("format") != FORMAT:
            raise ApplicationError(f"{path.name}: unknown backup format {manifest.get('format')}")
        if manifest["engine"] != connection.vendor:
            raise ApplicationError(
                f"{path.name} is a {manifest['engine']} backup; this installation runs "
                f"{connection.vendor}"
            )
        for name, digest in manifest["files"].items():
            if _sha256(staging / name) != digest:
                raise ApplicationError(f"{path.name}: {name} does not match its checksum")
        known = {f"{app}.{name}" for app, name in _loader_migrations()}
        newer = sorted(set(manifest["migrations"]) - known)
        if newer:
            raise ApplicationError(
                f"{path.name} comes from a newer version (migrations {', '.join(newer[:3])}…): "
                "upgrade the code first"
            )
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(staging / "database.sqlite3")
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connection.close()
            arguments, environment = _pg_environment()
            subprocess.run(  # noqa: S603 - our own arguments, no shell
                [
                    pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *arguments,
                    str(staging / "database.dump"),
                ],
                check=True,
                env=environment,
                capture_output=True,
            )
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.rmtree(media)
        if (staging / "media").exists():
            shutil.copytree(staging / "media", media)
        else:
            media.mkdir(parents=True, exist_ok=True)
    return manifest


def _loader_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
