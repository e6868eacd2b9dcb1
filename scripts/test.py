"""`make test`: lint, migrations check, then the whole suite on SQLite and on PostgreSQL.

PostgreSQL runs in a temporary directory started here and removed afterwards.
Where no server binaries exist, this says so loudly and runs SQLite only, unless
GONGZHI_REQUIRE_POSTGRES=1 (CI), where that is a failure. Extra arguments go to
pytest (e.g. `make test ARGS="-k tally"`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))

from pgtemp import find_binaries, temporary_postgres  # noqa: E402


def step(title: str, command: list[str], env: dict[str, str] | None = None) -> None:
    print(f"\n=== {title}", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **(env or {})}, check=False)
    if result.returncode != 0:
        print(f"=== FAILED: {title} (exit {result.returncode})", flush=True)
        sys.exit(result.returncode)
    print(f"=== ok: {title} ({time.monotonic() - started:.0f}s)", flush=True)


def banner(text: str) -> None:
    line = "!" * 78
    print(f"\n{line}\n!! {text}\n{line}\n", flush=True)


def main() -> None:
    extra = sys.argv[1:]
    step("ruff check", [str(BIN / "ruff"), "check", "."])
    step("ruff format --check", [str(BIN / "ruff"), "format", "--check", "."])
    step("mypy", [str(BIN / "mypy"), "src/gongzhi"])
    step(
        "migrations are up to date",
        [str(BIN / "gongzhi"), "makemigrations", "--check", "--dry-run"],
        env={"DATABASE_URL": "sqlite:///:memory:"},
    )
    pytest = [str(BIN / "pytest"), "-p", "no:cacheprovider", *extra]
    step("tests on SQLite", pytest, env={"DATABASE_URL": ""})
    if find_binaries() is None:
        message = "PostgreSQL server binaries not found: the suite ran on SQLite ONLY."
        if os.environ.get("GONGZHI_REQUIRE_POSTGRES") == "1":
            banner(message + " GONGZHI_REQUIRE_POSTGRES=1, so this is a failure.")
            sys.exit(1)
        banner(message + " Install Debian's postgresql to test both databases.")
        return
    with temporary_postgres() as url:
        step("tests on PostgreSQL", pytest, env={"DATABASE_URL": url})


if __name__ == "__main__":
    main()
