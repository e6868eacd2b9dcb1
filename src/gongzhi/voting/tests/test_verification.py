"""`gongzhi verify_decision`: ledger, ballots and results agree, or it says where not."""

import datetime as dt

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


def test_an_area_multiplied_in_the_database_is_found(voted, capsys):
    """The review's finding: verify_decision said "intact" after a register area was
    multiplied by 100 in the database."""
    from gongzhi.voting.models import RegisterEntry

    entry = voted.register.get(unit_number="1-202")
    RegisterEntry.objects.filter(pk=entry.pk).update(area=entry.area * 100)
    with pytest.raises(CommandError, match="problem"):
        call_command("verify_decision", str(voted.pk))
    err = capsys.readouterr().err
    assert "the register was changed after voting opened" in err
    assert "differs from the one frozen at the announcement" in err


def test_a_unit_moved_to_another_compound_is_found(voted, scene, capsys):
    from gongzhi.voting.models import RegisterEntry

    RegisterEntry.objects.filter(decision=voted, unit_number="1-202").update(
        compound=scene.other_compound
    )
    with pytest.raises(CommandError):
        call_command("verify_decision", str(voted.pk))
    assert "register" in capsys.readouterr().err


def test_corrections_recorded_before_opening_verify(scene, capsys):
    from gongzhi.voting.services import register_correct

    decision = decision_announce(decision=scene.decision(), actor=scene.clerk, now=T0)
    entry = decision.register.get(unit_number="1-101")
    register_correct(entry=entry, field="area", value="61.50", reason="实测面积", actor=scene.clerk)
    register_correct(
        entry=entry, field="owners", value=[scene.owners[1].pk], reason="过户", actor=scene.clerk
    )
    decision_open(decision=decision, actor=scene.clerk, now=OPENS)
    call_command("verify_decision", str(decision.pk))
    assert "intact" in capsys.readouterr().out


def test_a_ledger_rewritten_and_rehashed_without_the_key_is_found(voted, capsys):
    """The review's finding: the whole ledger of a decision rewritten and re-hashed
    verified as intact. Without the key, the hashes an attacker computes do not."""
    import hashlib

    from gongzhi.voting.ledger import GENESIS, canonical
    from gongzhi.voting.models import LedgerEntry

    previous = GENESIS
    for entry in voted.ledger.order_by("sequence"):
        payload = entry.payload
        if entry.event == "ballot" and payload["choice"] == "agree":
            payload["choice"] = "disagree"
        at = entry.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
        body = canonical(
            {"seq": entry.sequence, "event": entry.event, "payload": payload, "at": at}
        )
        digest = hashlib.sha256(previous.encode() + body).hexdigest()  # the public algorithm
        LedgerEntry.objects.filter(pk=entry.pk).update(
            payload=payload, previous_hash=previous, hash=digest
        )
        previous = digest
    Ballot.objects.filter(decision=voted).update(choice="disagree")
    with pytest.raises(CommandError):
        call_command("verify_decision", str(voted.pk))
    assert "content was changed" in capsys.readouterr().err


def test_the_chain_depends_on_the_key(voted, settings, capsys):
    settings.LEDGER_KEY = "another key"
    with pytest.raises(CommandError):
        call_command("verify_decision", str(voted.pk))
    assert "content was changed" in capsys.readouterr().err


def test_the_migration_rekeys_old_chains_and_their_head_hashes(voted, capsys):
    """Chains written with plain SHA-256 before the keyed ledger verify after 0005."""
    import hashlib
    import importlib

    from django.apps import apps

    from gongzhi.voting.ledger import GENESIS, canonical
    from gongzhi.voting.models import DecisionResult, LedgerEntry

    previous = GENESIS
    for entry in voted.ledger.order_by("sequence"):
        at = entry.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
        body = canonical(
            {"seq": entry.sequence, "event": entry.event, "payload": entry.payload, "at": at}
        )
        old = hashlib.sha256(previous.encode() + body).hexdigest()
        if DecisionResult.objects.filter(head_hash=entry.hash).exists():
            DecisionResult.objects.filter(head_hash=entry.hash).update(head_hash=old)
        LedgerEntry.objects.filter(pk=entry.pk).update(previous_hash=previous, hash=old)
        previous = old
    with pytest.raises(CommandError):
        call_command("verify_decision", str(voted.pk))
    capsys.readouterr()
    migration = importlib.import_module("gongzhi.voting.migrations.0005_keyed_ledger")
    migration.rekey(apps, None)
    call_command("verify_decision", str(voted.pk))
    assert "intact" in capsys.readouterr().out


def test_a_result_is_published_in_the_current_format_with_its_mixed_headcount(voted):
    data = voted.results.get().data
    assert data["format"] == 2
    combined = data["items"][0]["options"][0]["without_clause"]["combined"]
    assert combined["mixed"] == {"heads": 0}


def test_a_result_published_before_mixed_was_reported_still_verifies(voted, capsys):
    """Results are never rewritten: one published in format 1 (a mixed owner under
    abstain, no "format" key) is compared with a recount written the same way."""
    from gongzhi.voting.selectors import tally_json_in_format

    result = voted.results.get()
    old = tally_json_in_format(result.data, 1)
    assert "format" not in old
    assert "mixed" not in old["items"][0]["options"][0]["without_clause"]["combined"]
    type(result).objects.filter(pk=result.pk).update(data=old)
    call_command("verify_decision", str(voted.pk))
    assert "intact" in capsys.readouterr().out
    old["items"][0]["options"][0]["without_clause"]["combined"]["abstain"]["heads"] += 1
    type(result).objects.filter(pk=result.pk).update(data=old)
    with pytest.raises(CommandError):
        call_command("verify_decision", str(voted.pk))


def test_format_one_counts_mixed_owners_under_abstain():
    from gongzhi.voting.selectors import tally_json_in_format

    group = {
        "abstain": {"area": "10.00", "heads": 1},
        "agree": {"area": "60.00", "heads": 3},
        "mixed": {"heads": 2},
    }
    data = {
        "format": 2,
        "items": [
            {
                "options": [
                    {
                        "without_clause": {"compounds": [group], "combined": group},
                        "with_clause": None,
                    }
                ]
            }
        ],
    }
    old = tally_json_in_format(data, 1)["items"][0]["options"][0]["without_clause"]
    assert old["combined"] == {
        "abstain": {"area": "10.00", "heads": 3},
        "agree": {"area": "60.00", "heads": 3},
    }
    assert old["compounds"] == [old["combined"]]
    assert tally_json_in_format(data, 2) is data


def test_the_register_totals_are_stored_at_the_freeze_and_recounted(voted, capsys):
    from gongzhi.voting.selectors import register_totals_json

    voted.refresh_from_db()
    assert voted.register_totals == register_totals_json(voted) != {}
    figures = voted.register_totals
    compound = next(iter(figures))
    figures[compound] = {**figures[compound], "heads": figures[compound]["heads"] + 1}
    type(voted).objects.filter(pk=voted.pk).update(register_totals=figures)
    with pytest.raises(CommandError):
        call_command("verify_decision", str(voted.pk))
    assert "stored totals differ" in capsys.readouterr().err
