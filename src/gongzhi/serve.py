"""``gongzhi serve``: the production stack on one machine — gunicorn (a real WSGI
server) with the static files served by the application (whitenoise), and the
background worker — with DEBUG off. ``--dev`` runs Django's development server
instead, with the worker, for ``make run``.

Before anything starts it refuses to run on development keys (``check --deploy``),
refuses a database with unapplied migrations (run ``gongzhi migrate``, or pass
``--migrate``), and collects the static files with hashed names. SIGTERM or Ctrl-C
stops both processes; if one of them dies, the other is stopped too and the exit
status says so, so that systemd restarts the whole service.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def _gongzhi() -> list[str]:
    return [str(Path(sys.executable).parent / "gongzhi")]


def _run(arguments: list[str], environment: dict[str, str]) -> int:
    return subprocess.run([*_gongzhi(), *arguments], env=environment, check=False).returncode  # noqa: S603


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongzhi serve",
        description="Run the web server (gunicorn) and the background worker.",
    )
    parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port to listen on")
    parser.add_argument(
        "--workers",
        type=int,
        default=min(4, 2 * (os.cpu_count() or 1) + 1),
        help="gunicorn worker processes (default: 2 × cores + 1, at most 4)",
    )
    parser.add_argument(
        "--timeout", type=int, default=60, help="seconds before a request is killed"
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="do not start the background worker (it runs as a service of its own)",
    )
    parser.add_argument("--migrate", action="store_true", help="apply migrations before starting")
    parser.add_argument(
        "--dev",
        action="store_true",
        help="Django's development server (auto-reload) and the worker",
    )
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    environment = {**os.environ}
    if not args.dev:
        environment["GONGZHI_SERVE"] = "1"  # hashed, compressed static files
        environment.pop("GONGZHI_DEBUG", None)
        if _run(["check", "--deploy", "--fail-level", "ERROR"], environment) != 0:
            return 1
    if args.migrate:
        if _run(["migrate", "--no-input"], environment) != 0:
            return 1
    elif _run(["migrate", "--check"], environment) != 0:
        print(
            "The database has unapplied migrations: run `gongzhi migrate` first.",
            file=sys.stderr,
        )
        return 1
    if not args.dev and _run(["collectstatic", "--no-input", "--verbosity", "0"], environment) != 0:
        return 1
    if args.dev:
        web = [*_gongzhi(), "runserver", args.bind]
    else:
        web = [
            str(Path(sys.executable).parent / "gunicorn"),
            "gongzhi.wsgi:application",
            "--bind",
            args.bind,
            "--workers",
            str(args.workers),
            "--timeout",
            str(args.timeout),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            environment.get("GONGZHI_TRUSTED_PROXIES", "127.0.0.1") or "127.0.0.1",
        ]
    processes = [subprocess.Popen(web, env=environment)]  # noqa: S603
    if not args.no_worker:
        processes.append(subprocess.Popen([*_gongzhi(), "worker"], env=environment))  # noqa: S603
    stopping = False

    def stop(signum=None, frame=None):
        nonlocal stopping
        stopping = True
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    status = 0
    while any(process.poll() is None for process in processes):
        for process in processes:
            code = process.poll()
            if code is not None and not stopping:
                status = code or 1  # one of them died: stop the other
                stop()
        time.sleep(0.2)
    for process in processes:
        process.wait()
    return 0 if stopping and status == 0 else status
