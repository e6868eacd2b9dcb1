"""Benchmark: printing paper ballots, one A4 page per unit with its QR code.

Prints pages per second of the real ``ballots_pdf`` for a generated compound (rooms
in random order, areas and codes random), beside two baselines measured in the same
run: the same pages without QR codes (the text and page cost alone), and the same
pages with reportlab's QR widget as the code drew them before (encoded twice, drawn
as one shape object per dark run). Target: at least 100 pages/s on one core.

    python bench/print_ballots.py [--units 3000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


class Items(list):
    def all(self):
        return self


def fixtures(units: int):
    from django.utils import timezone

    rng = random.Random(7)
    compound = SimpleNamespace(name="水霞小区")
    entries = [
        SimpleNamespace(
            pk=index + 1,
            compound=compound,
            building_name=f"{rng.randint(1, 40)}号楼",
            unit_number=f"{rng.randint(1, 6)}{rng.randint(1, 4):02d}",
            area=Decimal(rng.randint(3000, 14000)) / 100,
        )
        for index in range(units)
    ]
    item = SimpleNamespace(
        pk=1,
        position=1,
        text="是否同意选聘上海纺原物业管理有限公司为本小区物业服务企业",
        options=[],
        choice_values=lambda: ["agree", "disagree", "abstain"],
    )
    now = timezone.now()
    decision = SimpleNamespace(
        pk=12,
        title="水霞小区选聘物业服务企业",
        text="根据《民法典》第二百七十八条，选聘物业服务企业须经专有部分面积占比三分之二以上、"
        "人数占比三分之二以上的业主参与表决。" * 3,
        items=Items([item]),
        opens_at=now,
        closes_at=now + dt.timedelta(days=14),
        non_voter_clause=True,
        neighbourhood=SimpleNamespace(name="水霞居民区"),
    )
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    codes = {e.pk: "".join(rng.choice(alphabet) for _ in range(10)) for e in entries}
    return decision, entries, codes


def old_draw_qr(canvas, data, x, y, size):
    """The QR drawing before: reportlab's widget, encoded in getBounds and again in draw."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(data, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def rate(decision, entries, codes) -> float:
    from gongzhi.voting.ballot_pdf import ballots_pdf

    started = time.perf_counter()
    ballots_pdf(
        decision=decision, entries=entries, codes=codes, vote_url="https://gongzhi.example/c/{code}"
    )
    return len(entries) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=3000)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    os.environ.setdefault("GONGZHI_DEBUG", "1")
    import django

    django.setup()
    from gongzhi.voting import ballot_pdf

    decision, entries, codes = fixtures(options.units)
    rate(decision, entries[:20], codes)  # fonts loaded, caches warm
    now = rate(decision, entries, codes)
    text_only = rate(decision, entries, {})
    current = ballot_pdf.draw_qr
    ballot_pdf.draw_qr = old_draw_qr
    try:
        before = rate(decision, entries[: min(500, len(entries))], codes)
    finally:
        ballot_pdf.draw_qr = current
    print(f"{options.units} ballots, one page each")
    print(f"  ballots_pdf now            {now:7.1f} pages/s")
    print(f"  baseline: no QR codes      {text_only:7.1f} pages/s   (ratio {text_only / now:.2f})")
    print(f"  baseline: the QR before    {before:7.1f} pages/s   (now {now / before:.1f}x faster)")
    print(f"  target >= 100 pages/s: {'met' if now >= 100 else 'NOT met'}")


if __name__ == "__main__":
    main()
