"""SMS and e-mail backends that really write somewhere: the file outbox, standard
output, and an operator's gateway over HTTP with a signed request."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from gongzhi.core.messaging import (
    MessageNotSent,
    email_outbox,
    send_email,
    send_sms,
    signature,
    sms_outbox,
)


@pytest.fixture
def outbox(settings, tmp_path):
    settings.OUTBOX_DIR = tmp_path / "outbox"
    return tmp_path / "outbox"


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_file_backend_appends_one_json_line_per_message(settings, outbox):
    settings.SMS_BACKEND = "file"
    send_sms("13800138000", "【共治】验证码 123456")
    send_sms("13900139000", "【共治】第二条")
    written = lines(sms_outbox())
    assert [m["to"] for m in written] == ["13800138000", "13900139000"]
    assert written[0]["text"] == "【共治】验证码 123456" and written[0]["at"].endswith("+00:00")
    assert "验证码" in sms_outbox().read_text(encoding="utf-8")  # Chinese as written


def test_many_writers_never_interleave_lines(settings, outbox):
    settings.SMS_BACKEND = "file"
    threads = [
        threading.Thread(
            target=lambda n=n: [send_sms(f"1380000{n:04d}", "x" * 500) for _ in range(20)]
        )
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(lines(sms_outbox())) == 160


def test_the_console_backend_prints_the_line(settings, capsys):
    settings.SMS_BACKEND = "console"
    send_sms("13800138000", "你好")
    assert json.loads(capsys.readouterr().out)["text"] == "你好"


class Gateway(BaseHTTPRequestHandler):
    received: list = []
    answer = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Gateway.received.append((dict(self.headers), body))
        self.send_response(Gateway.answer)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.received, Gateway.answer = [], 200
    settings.SMS_BACKEND = "webhook"
    settings.SMS_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.SMS_WEBHOOK_SECRET = "gateway-shared-secret"
    yield Gateway
    server.shutdown()


def test_the_webhook_posts_signed_json_the_gateway_can_verify(gateway):
    send_sms("13800138000", "【共治】验证码 654321")
    ((headers, body),) = gateway.received
    payload = json.loads(body)
    assert payload["to"] == "13800138000" and payload["text"] == "【共治】验证码 654321"
    timestamp = headers["X-Gongzhi-Timestamp"]
    expected = hmac.new(b"gateway-shared-secret", timestamp.encode() + b"." + body, hashlib.sha256)
    assert headers["X-Gongzhi-Signature"] == "sha256=" + expected.hexdigest()
    assert headers["X-Gongzhi-Signature"] == signature("gateway-shared-secret", timestamp, body)
    forged = signature("another-secret", timestamp, body)
    assert forged != headers["X-Gongzhi-Signature"]


def test_a_gateway_error_or_silence_is_a_failure_to_retry(gateway, settings):
    gateway.answer = 503
    with pytest.raises(MessageNotSent, match="503"):
        send_sms("13800138000", "x")
    settings.SMS_WEBHOOK_URL = "http://127.0.0.1:9/nothing-listens"
    with pytest.raises(MessageNotSent, match="unreachable"):
        send_sms("13800138000", "x")
    settings.SMS_WEBHOOK_SECRET = ""
    with pytest.raises(MessageNotSent, match="SECRET"):
        send_sms("13800138000", "x")


def test_email_through_the_file_backend(settings, outbox):
    settings.EMAIL_BACKEND = "gongzhi.core.messaging.JsonLinesEmailBackend"
    send_email("owner@example.com", "表决开始", "请在 12 月 20 日前表决。")
    (message,) = lines(email_outbox())
    assert message["to"] == "owner@example.com" and message["subject"] == "表决开始"


def test_email_through_smtp_reaches_a_real_smtp_server(settings):
    """A minimal SMTP server on a local port: the message arrives as sent."""
    import socket

    received = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def serve():
        conn, _ = listener.accept()
        stream = conn.makefile("rwb")

        def say(line):
            stream.write(line.encode() + b"\r\n")
            stream.flush()

        say("220 test ESMTP")
        data = False
        while True:
            line = stream.readline()
            if not line:
                break
            if data:
                if line == b".\r\n":
                    data = False
                    say("250 queued")
                else:
                    received.append(line)
                continue
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                say("250 test")
            elif command.startswith(("MAIL", "RCPT")):
                say("250 ok")
            elif command == "DATA":
                data = True
                say("354 go on")
            elif command == "QUIT":
                say("221 bye")
                break
            else:
                say("250 ok")
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    send_email("owner@example.com", "表决开始", "请表决")
    thread.join(timeout=5)
    message = b"".join(received)
    assert b"To: owner@example.com" in message
    listener.close()
