"""`gongzhi print_ballots`: one page per unit of the compound, fresh one-time codes
when the decision votes online, and clear refusals for what does not exist."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from gongzhi.core.pdf import qr_modules
from gongzhi.voting.models import Decision, OneTimeCode

pytestmark = pytest.mark.django_db


def test_a_compounds_ballots_one_page_per_unit(tmp_path):
    call_command("seed_demo", quiet_logins=True)
    decision = Decision.objects.filter(status__in=["announced", "open"], online_voting=True).first()
    compound = decision.compounds.get(name="茅台雅苑")
    units = decision.register.filter(compound=compound, excluded=False).count()
    target = tmp_path / "ballots.pdf"
    out = io.StringIO()
    call_command(
        "print_ballots", str(decision.pk), "--compound", "茅台雅苑", "-o", str(target), stdout=out
    )
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(reader.pages) == units > 0
    assert "茅台雅苑" in reader.pages[0].extract_text()
    assert (
        OneTimeCode.objects.filter(entry__decision=decision, entry__compound=compound).count()
        == units
    )
    assert f"{units} " in out.getvalue()
    with pytest.raises(CommandError):
        call_command(
            "print_ballots", str(decision.pk), "--compound", "没有的小区", "-o", str(target)
        )
    with pytest.raises(CommandError):
        call_command("print_ballots", "999999", "--compound", "茅台雅苑", "-o", str(target))


def test_the_qr_code_is_a_whole_symbol():
    modules = qr_modules("https://gongzhi.example.org/voting/code/ABCD2345EF/")
    size = len(modules)
    assert size == 4 * ((size - 17) // 4) + 17 and all(len(row) == size for row in modules)
    for top, left in ((0, 0), (0, size - 7), (size - 7, 0)):  # the three finder patterns
        ring = [modules[top][left + i] for i in range(7)] + [
            modules[top + 6][left + i] for i in range(7)
        ]
        assert all(ring) and not modules[top + 1][left + 1] and modules[top + 3][left + 3]
