"""The review's finding: a decision title with ReportLab markup made the delivery-list
PDF fetch a URL (or read a local file), and other markup made it answer 500."""

import datetime as dt
import http.server
import io
import threading

import pytest
from django.utils import timezone
from pypdf import PdfReader

from gongzhi.voting.models import Decision
from gongzhi.voting.services import decision_announce


@pytest.fixture
def listener():
    """A local web server that records every request it gets."""
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], seen
    server.shutdown()


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.parametrize(
    "title",
    [
        '<img src="http://127.0.0.1:{port}/x.png" width="20" height="20"/>表决',
        '<img src="/etc/hostname" width="20" height="20"/>表决',
        '<font name="NoSuchFont">表决</font>',
        "<para><b>未闭合</para>",
        "甲 & 乙 < 丙",
    ],
)
def test_markup_in_a_title_is_printed_not_obeyed(client, scene, listener, title):
    port, seen = listener
    title = title.format(port=port)
    now = timezone.now()
    decision = scene.decision(
        title=title, opens_at=now + dt.timedelta(days=16), closes_at=now + dt.timedelta(days=30)
    )
    decision_announce(decision=Decision.objects.get(pk=decision.pk), actor=scene.clerk, now=now)
    client.force_login(scene.clerk)
    text = _text(client.get(f"/voting/{decision.pk}/deliveries/{scene.compound.pk}.pdf?building="))
    assert "".join(title.split()) in "".join(text.split())
    assert seen == []
