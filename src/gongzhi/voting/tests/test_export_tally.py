"""The published result equals `gongzhi tally` run on the exported roll and ballots."""

import json

import pytest

from gongzhi.demo.builder import REFERENCE_DECISION
from gongzhi.demo.seed import seed_demo
from gongzhi.voting import cli_tally
from gongzhi.voting.models import Decision

pytestmark = pytest.mark.django_db


def test_reference_decision_matches_the_standalone_tally(client, tmp_path):
    seed_demo()
    decision = Decision.objects.get(title=REFERENCE_DECISION)
    result = decision.results.get(stage="final")
    item = decision.items.get()
    client.login(username="clerk", password="gongzhi-demo")
    roll = tmp_path / "roll.csv"
    ballots = tmp_path / "ballots.csv"
    roll.write_bytes(client.get(f"/voting/{decision.pk}/roll.csv").content)
    ballots.write_bytes(client.get(f"/voting/{decision.pk}/ballots-{item.pk}.csv").content)

    printed = []
    status = cli_tally.main(
        ["--roll", str(roll), "--ballots", str(ballots), "--rule", item.rule,
         "--scope", decision.scope, "--format", "json"],
        out=printed.append,
    )  # fmt: skip
    assert status == 0
    standalone = json.loads(printed[0])
    published = result.data["items"][0]["options"][0]["without_clause"]

    def numbers(group):
        keys = ("total", "participating", "agree", "disagree", "abstain")
        return {k: group[k] for k in (*keys, "participation_met", "approval_met", "passed")}

    assert standalone["passed"] == published["passed"] == result.passed
    assert numbers(standalone["combined"]) == numbers(published["combined"])
    by_name = {g["compound"]: numbers(g) for g in standalone["compounds"]}
    assert by_name == {g["compound"]: numbers(g) for g in published["compounds"]}
    assert len(by_name) == 4
