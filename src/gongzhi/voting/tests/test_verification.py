"""`gongzhi verify_decision`: ledger, ballots and results agree, or it says where not."""

import pytest
from django.core.management import CommandError, call_command

from gongzhi.voting.models import Ballot
from gongzhi.voting.services import (
    ballot_enter_paper,
    decision_announce,
    decision_close,
    decision_open,
)

from .conftest import AFTER, DURING, OPENS, T0

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted(scene):
    decision = decision_announce(decision=scene.decision(), actor=scene.clerk, now=T0)
    decision = decision_open(decision=decision, actor=scene.clerk, now=OPENS)
    item = decision.items.get()
    for number in ["1-101", "1-102", "1-201"]:
        ballot_enter_paper(
            decision=decision,
            entry=decision.register.get(unit_number=number),
            choices={item.pk: "agree"},
            clerk=scene.clerk,
            now=DURING,
        )
    decision_close(decision=decision, actor=scene.clerk, now=AFTER)
    return decision


def test_intact_decision_verifies(voted, capsys):
    call_command("verify_decision", str(voted.pk))
    out = capsys.readouterr().out
    assert "3 effective ballots match the ledger" in out
    assert "intact" in out


def test_a_ballot_changed_in_the_database_is_found(voted, capsys):
    ballot = Ballot.objects.get(entry__unit_number="1-201")
    Ballot.objects.filter(pk=ballot.pk).update(choice="disagree")  # behind the services' back
    with pytest.raises(CommandError, match="problem"):
        call_command("verify_decision", str(voted.pk))
    err = capsys.readouterr().err
    assert f"ledger says ({ballot.pk}, 'agree'), database says ({ballot.pk}, 'disagree')" in err
    # The published result is recounted from the ledger, which still holds the truth.
    assert "differs from a recount" not in err


def test_a_published_result_changed_in_the_database_is_found(voted, capsys):
    result = voted.results.get()
    data = result.data
    data["items"][0]["options"][0]["without_clause"]["combined"]["agree"]["heads"] += 1
    type(result).objects.filter(pk=result.pk).update(data=data)
    with pytest.raises(CommandError):
        call_command("verify_decision", str(voted.pk))
    assert "preliminary result differs from a recount of the ledger" in capsys.readouterr().err


def test_a_ballot_deleted_from_the_ledger_breaks_the_chain(voted, capsys):
    voted.ledger.filter(event="ballot").order_by("sequence").first().delete()
    with pytest.raises(CommandError):
        call_command("verify_decision", str(voted.pk))
    err = capsys.readouterr().err
    assert "sequence jumps" in err and "does not link" in err


def test_unknown_decision(db):
    with pytest.raises(CommandError, match="no decision 999"):
        call_command("verify_decision", "999")
