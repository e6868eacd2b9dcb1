"""Benchmark: casting ballots over HTTP on PostgreSQL under concurrent load.

A multi-process server (gunicorn, loopback only) serves the project; a separate
load process posts ballots with one-time codes (``POST /api/voting/ballots/with-code``)
from many concurrent clients, for a bounded number of ballots. In the same run the
same load is sent to a minimal Django view that inserts one row. Prints ballots per
second and p50/p99 latency for both, and recounts the database to prove that no
ballot was lost or doubled.

    python bench/cast_http.py [--units 20000] [--clients 16] [--workers 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def prepare(url: str, units: int, out: Path) -> None:
    """In a child process: a world with an open decision and fresh codes for every unit."""
    sys.path.insert(0, str(HERE))
    from common import django_on, world

    django_on(url)
    from gongzhi.voting.services import codes_issue

    decision, clerk = world(units)
    item = decision.items.get()
    entries = list(decision.register.prefetch_related("owners").order_by("pk"))
    codes = codes_issue(decision=decision, entries=entries, actor=clerk)
    rows = []
    for entry in entries:
        phone = next(iter(entry.owners.all())).phone
        rows.append({"code": codes[entry.pk], "phone_last4": phone[-4:], "item": item.pk})
    out.write_text(json.dumps({"decision": decision.pk, "ballots": rows}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def load(
    port: int, path: str, bodies: list[bytes], clients: int
) -> tuple[float, list[float], list[int]]:
    """Post every body once, from ``clients`` keep-alive connections."""
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    position = iter(range(len(bodies)))

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                break
            began = time.perf_counter()
            connection.request(
                "POST", path, body=bodies[index], headers={"Content-Type": "application/json"}
            )
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                statuses.append(response.status)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, statuses


def report(name: str, elapsed: float, latencies: list[float], statuses: list[int]) -> float:
    quantiles = statistics.quantiles(latencies, n=100)
    rate = len(latencies) / elapsed
    print(
        f"  {name:<34} {rate:7.0f}/s   p50 {quantiles[49] * 1000:6.1f} ms   "
        f"p99 {quantiles[98] * 1000:6.1f} ms   ({len(latencies)} requests, "
        f"{sum(1 for s in statuses if s == 200)} answered 200)"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.url, args.units, Path(args.prepare))
        return

    sys.path.insert(0, str(ROOT / "scripts"))
    from pgtemp import temporary_postgres

    # DEBUG is off in the server: it refuses the development keys (core/checks.py).
    # The set-up process issues the codes under the same keys the server checks.
    for name in ("GONGZHI_SECRET_KEY", "GONGZHI_ID_HASH_KEY", "GONGZHI_LEDGER_KEY"):
        os.environ[name] = secrets.token_urlsafe(48)

    with temporary_postgres() as url:
        plan = Path(tempfile.mkdtemp(prefix="gongzhi-cast-")) / "plan.json"
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--prepare",
                str(plan),
                "--url",
                url,
                "--units",
                str(args.units),
            ],
            check=True,
        )
        data = json.loads(plan.read_text())
        print(
            f"set-up: {args.units:,} units with one-time codes "
            f"in {time.perf_counter() - started:.1f}s"
        )
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": str(HERE),
            "GONGZHI_DATA_DIR": str(plan.parent),
        }
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "gongzhi.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            ballots = [
                json.dumps(
                    {
                        "code": b["code"],
                        "phone_last4": b["phone_last4"],
                        "choices": {str(b["item"]): "agree"},
                    }
                ).encode()
                for b in data["ballots"]
            ]
            print(f"{args.clients} concurrent clients, {args.workers} server processes, loopback:")
            base = report(
                "minimal view inserting one row",
                *load(port, "/bench/insert/", [b"{}"] * len(ballots), args.clients),
            )
            elapsed, latencies, statuses = load(
                port, "/api/voting/ballots/with-code", ballots, args.clients
            )
            cast = report("casting a ballot with a code", elapsed, latencies, statuses)
            print(f"  ratio (minimal view / casting)     {base / cast:.2f}x")
        finally:
            server.terminate()
            server.wait(timeout=30)
        import psycopg

        with psycopg.connect(url) as database:
            effective = database.execute(
                "SELECT count(*), count(DISTINCT entry_id) FROM voting_ballot "
                "WHERE state = 'effective'"
            ).fetchone()
            rows = database.execute("SELECT count(*) FROM voting_ballot").fetchone()[0]
        accepted = sum(1 for s in statuses if s == 200)
        print(
            f"recount: {accepted} acknowledged, {effective[0]} effective ballots "
            f"for {effective[1]} distinct units, {rows} ballot rows in all"
        )
        if not (accepted == effective[0] == effective[1] == len(ballots) == rows):
            raise SystemExit("MISMATCH: a ballot was lost or doubled")
        print("recount: every acknowledged ballot is there once; none lost, none doubled")


if __name__ == "__main__":
    main()
