"""A throwaway PostgreSQL server in a temporary directory, for tests and benchmarks.

    with temporary_postgres() as url:   # postgres://gongzhi@127.0.0.1:PORT/gongzhi
        ...

Uses the server binaries of the Debian packages (/usr/lib/postgresql/*/bin) or
PATH. PostgreSQL refuses to run as root, so under root the cluster is owned by
and run as the ``postgres`` system user. The directory is removed afterwards.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def find_binaries() -> Path | None:
    """The directory holding initdb and pg_ctl, newest version first."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists() and Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(initdb).parent
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def temporary_postgres(*, database: str = "gongzhi") -> Iterator[str]:
    binaries = find_binaries()
    if binaries is None:
        raise FileNotFoundError("no PostgreSQL server binaries (initdb, pg_ctl) found")
    root = Path(tempfile.mkdtemp(prefix="gongzhi-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, log = root / "data", root / "server.log"
    port = free_port()
    try:
        subprocess.run(
            [
                *run_as,
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                "gongzhi",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-h 127.0.0.1 -p {port} -k {root} -F -c max_connections=200"
        subprocess.run(
            [
                *run_as,
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        try:
            subprocess.run(
                [
                    str(binaries / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "gongzhi",
                    database,
                ],
                check=True,
            )
            yield f"postgres://gongzhi@127.0.0.1:{port}/{database}"
        finally:
            subprocess.run(
                [*run_as, str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                check=False,
                stdout=subprocess.DEVNULL,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
