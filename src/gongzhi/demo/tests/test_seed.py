"""The demo neighbourhood: deterministic, idempotent, and it tells the story."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from gongzhi.accounts.models import User
from gongzhi.core.identifiers import validate_credit_code
from gongzhi.demo.builder import DEMO_PASSWORD, PERSONAS
from gongzhi.registry.models import (
    Compound,
    OwnersCommittee,
    Ownership,
    PropertyCompany,
    SubDistrict,
    Unit,
)
from gongzhi.registry.selectors import compound_totals, owned_units
from gongzhi.selection.models import PoolEntry

pytestmark = pytest.mark.django_db

COMPOUNDS = ["水霞小区", "茅台雅苑", "安虹小区", "虹霞高层"]


def snapshot():
    totals = compound_totals(compounds=Compound.objects.all())
    return (
        {
            Compound.objects.get(pk=pk).name: (t.area, t.heads, t.units)
            for pk, t in totals.compounds.items()
        },
        Ownership.objects.count(),
        sorted(Unit.objects.values_list("compound__name", "number", "area")),
        _counts(),
    )


def _counts():
    from gongzhi.cases.models import ConsolidationCase, Meeting
    from gongzhi.notices.models import Notice
    from gongzhi.voting.models import Ballot, Decision

    return tuple(
        model.objects.count() for model in (ConsolidationCase, Meeting, Notice, Decision, Ballot)
    )


def test_seed_twice_gives_the_same_neighbourhood(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    first = snapshot()
    call_command("seed_demo", "--quiet-logins")
    assert snapshot() == first
    for persona in PERSONAS:
        assert persona.username in out
    assert DEMO_PASSWORD in out


def test_the_story(seeded_demo):
    assert SubDistrict.objects.get(name="仙霞新村街道").is_demo
    assert sorted(Compound.objects.values_list("name", flat=True)) == sorted(COMPOUNDS)
    # One provider in the end: 纺原物业 took over the three compounds whose companies left.
    providers = dict(Compound.objects.values_list("name", "property_company__name"))
    assert set(providers.values()) == {"纺原物业"}
    from gongzhi.selection.models import CustodyRequest

    exiting = dict(CustodyRequest.objects.values_list("compound__name", "exiting_company__name"))
    assert exiting == {"水霞小区": "仙霞物业", "安虹小区": "新程物业", "虹霞高层": "大楼物业"}
    totals = compound_totals(compounds=Compound.objects.all())
    for compound in Compound.objects.all():
        units = totals.compounds[compound.pk].units
        assert 250 <= units <= 1000, (compound.name, units)
        assert (
            OwnersCommittee.objects.filter(
                management_area__memberships__compound=compound, status="active"
            ).count()
            == 1
        )
    # the rules have something to do: developer units, co-owners, multi-unit owners
    assert Unit.objects.filter(status__in=["unsold", "undelivered"]).count() >= 40
    assert Unit.objects.filter(use="parking").count() == 60
    combined = totals.combined
    assert combined.heads < sum(t.heads for t in totals.compounds.values())
    assert combined.heads < combined.units
    assert "纺原物业" in PoolEntry.objects.values_list("company__name", flat=True)
    for company in PropertyCompany.objects.all():
        validate_credit_code(company.credit_code)


def test_every_persona_can_sign_in_and_the_owner_holds_two_units(seeded_demo):
    for persona in PERSONAS:
        assert authenticate(username=persona.username, password=DEMO_PASSWORD) is not None
    owner = User.objects.get(username="owner")
    units = list(owned_units(owner))
    assert len(units) == 2
    assert {u.compound.name for u in units} == {"水霞小区"}


def test_readme_figures_are_the_demo_figures(seeded_demo):
    """The README's demo table must stay true."""
    import re
    from decimal import Decimal
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[4] / "README.md").read_text(encoding="utf-8")
    totals = compound_totals(compounds=Compound.objects.all())
    names = dict(Compound.objects.values_list("pk", "name"))
    rows = {names[pk]: t for pk, t in totals.compounds.items()}
    rows["combined"] = totals.combined
    for name, t in rows.items():
        match = re.search(
            rf"^\| {name} \| ([\d,]+)[^|]*\| ([\d,.]+) \| ([\d,]+) \|$", readme, re.MULTILINE
        )
        assert match, f"README has no demo row for {name}"
        units, area, heads = match.groups()
        assert int(units.replace(",", "")) == t.units, name
        assert Decimal(area.replace(",", "")) == t.area, name
        assert int(heads.replace(",", "")) == t.heads, name


def test_one_decision_runs_on_paper_from_end_to_end(seeded_demo):
    from gongzhi.demo.builder import PAPER_DECISION
    from gongzhi.voting.models import Decision
    from gongzhi.voting.services import sheet_flags
    from gongzhi.voting.verification import verify_decision

    decision = Decision.objects.get(title=PAPER_DECISION)
    assert decision.status == "final"
    assert decision.deliveries.values("entry").distinct().count() == decision.register.count()
    assert decision.boxes.count() == 2
    assert all(box.events.filter(kind="opened").count() == 1 for box in decision.boxes.all())
    session = decision.count_sessions.get()
    assert session.witnesses.count() >= decision.min_witnesses and session.head_hash
    assert decision.sheets.filter(scan__isnull=True).count() == 0
    assert decision.sheets.exclude(rejected_reason="").exists()  # unsigned papers kept apart
    assert decision.objections.filter(answered_at__isnull=False).count() == 1
    assert decision.ballots.filter(state="excluded").count() == 1
    assert {f.kind for f in sheet_flags(decision)} == {"bearer_cap"}
    report = verify_decision(decision)
    assert report.ok, report.problems


def test_custody_first_hire_later(seeded_demo):
    from gongzhi.selection.models import Custody, SelectionPlan, ServiceContract

    custodies = Custody.objects.select_related("company", "compound")
    assert sorted(c.compound.name for c in custodies) == ["安虹小区", "水霞小区", "虹霞高层"]
    assert all(c.company.name == "纺原物业" and c.rank == 1 for c in custodies)
    assert all((c.ends_on - c.starts_on).days <= 184 for c in custodies)
    plan = SelectionPlan.objects.get()
    assert plan.status == "contracted"
    members = list(plan.panel.members.all())
    assert len(members) % 2 == 1 and sum(m.is_expert for m in members) * 3 >= len(members) * 2
    assert [c["company"] for c in plan.ranking.candidates][0] == "纺原物业"
    assert ServiceContract.objects.filter(company__name="纺原物业").count() == 4


def test_the_reference_case_runs_to_its_end(seeded_demo):
    from gongzhi.cases.models import ConsolidationCase, Meeting, MeetingKind
    from gongzhi.cases.selectors import case_facts, overdue_items
    from gongzhi.cases.stages import Stage, missing
    from gongzhi.registry.services import current_management_area

    case = ConsolidationCase.objects.get()
    assert case.stage == Stage.COMPLETED
    assert list(case.history.values_list("stage", flat=True)) == list(Stage.values)
    reached = list(case.history.values_list("at", flat=True))
    assert reached == sorted(reached)  # stages reached in order, over time
    facts = case_facts(case)
    assert all(missing(stage, facts) == [] for stage in Stage.values)
    # One provider, one management area, one owners' committee.
    compounds = list(Compound.objects.all())
    assert {c.property_company.name for c in compounds} == {"纺原物业"}
    areas = {current_management_area(compound=c) for c in compounds}
    assert len(areas) == 1 and areas.pop().merged_from.count() == 4
    assert OwnersCommittee.objects.filter(status="active").count() == 1
    assert OwnersCommittee.objects.filter(status="dissolved").count() == 4
    assert case.filings.filter(filed_on__isnull=True).count() == 0
    # The 34 consultation and coordination meetings of the story, and the four-party ones.
    held = Meeting.objects.filter(case=case, status="held")
    assert held.filter(kind__in=[MeetingKind.CONSULTATION, MeetingKind.COORDINATION]).count() == 34
    assert held.filter(kind=MeetingKind.FOUR_PARTY).exists()
    assert case.waivers.get().compound.name == "茅台雅苑"
    # After the case: an overdue item carried to the next four-party meeting.
    assert [i.title for i in overdue_items()] == ["安虹小区 3 号楼老旧管道更换方案"]


def test_personas_sign_in_by_mobile_and_the_readme_names_their_numbers(seeded_demo, client):
    from pathlib import Path

    from gongzhi.demo.builder import DEMO_PASSWORD, PERSONA_PHONES

    readme = (Path(__file__).resolve().parents[4] / "README.md").read_text(encoding="utf-8")
    for username, phone in PERSONA_PHONES.items():
        assert f"| `{username}` | {phone} |" in readme, username
        client.logout()
        answer = client.post("/accounts/login/", {"username": phone, "password": DEMO_PASSWORD})
        assert answer.status_code == 302 and answer["Location"] == "/me/", username
        assert client.get("/me/").status_code == 200
