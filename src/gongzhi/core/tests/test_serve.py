"""`gongzhi serve` with DEBUG off: gunicorn answers, static files come with hashed
names, the worker runs queued work, SIGTERM stops both; and it refuses to start on
the development keys or an unmigrated database."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(tmp_path, **extra):
    keys = {
        "GONGZHI_SECRET_KEY": "s" * 40 + "-secret",
        "GONGZHI_ID_HASH_KEY": "i" * 40 + "-id-hash",
        "GONGZHI_LEDGER_KEY": "l" * 40 + "-ledger",
    }
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "GONGZHI_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": os.environ.get("DATABASE_URL", "") if extra.pop("same_db", False) else "",
        **keys,
        **extra,
    }


def gongzhi(*args, env, timeout=120):
    return subprocess.run(
        [str(BIN / "gongzhi"), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
        return response.status, response.read().decode("utf-8", "replace")


def test_serve_runs_gunicorn_and_the_worker_with_debug_off(tmp_path):
    env = environment(tmp_path, GONGZHI_ALLOWED_HOSTS="127.0.0.1")
    refused = gongzhi("serve", "--bind", "127.0.0.1:1", env=env)
    assert refused.returncode == 1 and "gongzhi migrate" in refused.stderr  # not migrated
    assert gongzhi("migrate", "--no-input", env=env).returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gongzhi"), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                status, body = get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not answer")
        assert status == 200 and '"database": "ok"' in body
        status, home = get(f"{base}/")
        assert status == 200 and "共治" in home
        # static files from the app itself, with hashed names and long caching
        css = next(part for part in home.split('"') if part.startswith("/static/gongzhi/gongzhi."))
        assert css != "/static/gongzhi/gongzhi.css"
        with urllib.request.urlopen(base + css, timeout=5) as response:  # noqa: S310
            assert response.status == 200
            assert "max-age=315360000" in response.headers["Cache-Control"]
        # the worker runs what the web queues: an SMS code reaches the outbox
        shell = (
            "from gongzhi.notifications.services import send_direct;"
            "send_direct(phone='13800138000', text='验证码 123456', event_key='smoke')"
        )
        assert gongzhi("shell", "-c", shell, env=env).returncode == 0
        outbox = tmp_path / "data" / "outbox" / "sms.jsonl"
        for _ in range(100):
            if outbox.exists() and "123456" in outbox.read_text():
                break
            time.sleep(0.2)
        else:
            pytest.fail("the worker did not send the queued SMS")
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    assert server.returncode == 0, output
    assert "Background worker" in output


def test_serve_refuses_the_development_keys(tmp_path):
    env = environment(tmp_path)
    for name in ("GONGZHI_SECRET_KEY", "GONGZHI_ID_HASH_KEY", "GONGZHI_LEDGER_KEY"):
        env.pop(name)
    refused = gongzhi("serve", "--bind", "127.0.0.1:1", env=env)
    assert refused.returncode == 1
    assert "GONGZHI_SECRET_KEY" in refused.stdout + refused.stderr
