"""Two compounds about to consolidate, with their areas, committees, owners and people,
and a helper that runs an owners' decision to a final result."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.accounts.models import Role
from gongzhi.cases import services
from gongzhi.notices import services as notices
from gongzhi.registry.services import MemberSpec, management_area_establish, owners_committee_create
from gongzhi.registry.tests.factories import (
    CompoundFactory,
    NeighbourhoodFactory,
    OwnerFactory,
    PropertyCompanyFactory,
    unit_with_owners,
    user_with_role,
)


@dataclass
class World:
    neighbourhood: object
    shuixia: object
    maotai: object
    companies: dict
    users: dict
    owners: dict


@pytest.fixture
def world(db):
    neighbourhood = NeighbourhoodFactory(name="水霞居民区")
    sd = neighbourhood.sub_district
    companies = {n: PropertyCompanyFactory(name=n) for n in ["仙霞物业", "纺原物业"]}
    shuixia = CompoundFactory(
        neighbourhood=neighbourhood, name="水霞小区", property_company=companies["仙霞物业"]
    )
    maotai = CompoundFactory(
        neighbourhood=neighbourhood, name="茅台雅苑", property_company=companies["纺原物业"]
    )
    owners = {}
    for compound, prefix in ((shuixia, "1"), (maotai, "2")):
        people = [OwnerFactory(sub_district=sd) for _ in range(4)]
        for n, owner in enumerate(people):
            unit_with_owners(compound, f"{prefix}-{n + 101}", "60.00", [owner])
        owners[compound.name] = people
        area = management_area_establish(
            name=f"{compound.name}区域", compounds=[compound], on=dt.date(2010, 1, 1), actor=None
        )
        owners_committee_create(
            management_area=area,
            name=f"{compound.name}业委会",
            term_start=dt.date(2023, 1, 1),
            term_end=dt.date(2028, 1, 1),
            members=[MemberSpec(name=f"{compound.name}主任", role="chair", owner=people[0])],
            actor=None,
        )

    other_area = NeighbourhoodFactory(name="虹仙居民区", sub_district=sd)
    users = {
        "official": user_with_role("official", Role.SUB_DISTRICT_OFFICIAL, sub_district=sd),
        "clerk": user_with_role("clerk", Role.CLERK, neighbourhood=neighbourhood),
        "other_clerk": user_with_role("other_clerk", Role.CLERK, neighbourhood=other_area),
        "committee_shuixia": user_with_role(
            "committee_shuixia", Role.COMMITTEE_MEMBER, compound=shuixia
        ),
        "committee_maotai": user_with_role(
            "committee_maotai", Role.COMMITTEE_MEMBER, compound=maotai
        ),
        "owner": user_with_role("owner", Role.OWNER, owner=owners["水霞小区"][1]),
        "outsider": user_with_role("outsider"),
    }
    return World(neighbourhood, shuixia, maotai, companies, users, owners)


def open_case(world, now=None):
    return services.case_open(
        neighbourhood=world.neighbourhood,
        title="水霞居民区物业集约化",
        compounds=[(world.shuixia, world.companies["仙霞物业"]), (world.maotai, None)],
        actor=world.users["clerk"],
        now=now,
    )


def case_with_task_force(world):
    """A case past its first stage, with a consultation meeting planned per compound."""
    case = open_case(world)
    services.task_force_form(
        case=case,
        name="工作专班",
        leader="赵书记",
        leader_organisation="党总支",
        formed_on=dt.date(2025, 9, 1),
        actor=world.users["clerk"],
        members=[services.MemberEntry("李干事", "居委会", "会务")],
    )
    services.work_task_add(
        task_force=case.task_force,
        title="走访",
        owner=case.task_force.members.get(),
        due_on=dt.date(2025, 10, 1),
        actor=world.users["clerk"],
    )
    case = services.case_advance(case=case, actor=world.users["clerk"])
    start = timezone.now() - dt.timedelta(days=3)
    for compound in (world.shuixia, world.maotai):
        services.meeting_plan(
            neighbourhood=world.neighbourhood,
            case=case,
            kind="consultation",
            title=f"{compound.name}征询会",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            place="活动室",
            compounds=[compound],
            actor=world.users["clerk"],
        )
    return case


def decide(world, title, *, passes=("水霞小区", "茅台雅苑"), matter="9", t0=None):
    """An owners' decision over both compounds, counted per compound, run to its final
    result: every owner agrees in the compounds named in ``passes``, disagrees elsewhere."""
    from gongzhi.voting.services import (
        ItemSpec,
        ballots_enter_paper_batch,
        decision_announce,
        decision_close,
        decision_create,
        decision_finalise,
        decision_open,
    )

    t0 = t0 or timezone.now() - dt.timedelta(days=80)
    opens, closes = t0 + dt.timedelta(days=16), t0 + dt.timedelta(days=30)
    clerk = world.users["clerk"]
    decision = decision_create(
        neighbourhood=world.neighbourhood,
        title=title,
        text="",
        compounds=[world.shuixia, world.maotai],
        items=[ItemSpec(text=title + "？", matter=matter)],
        opens_at=opens,
        closes_at=closes,
        actor=clerk,
        scope="each",
    )
    decision = decision_announce(decision=decision, actor=clerk, now=t0)
    decision = decision_open(decision=decision, actor=clerk, now=opens)
    item = decision.items.get()
    sheets = [
        (e, {item.pk: "agree" if e.compound.name in passes else "disagree"})
        for e in decision.register.select_related("compound")
    ]
    ballots_enter_paper_batch(
        decision=decision, sheets=sheets, clerk=clerk, received_at=opens, now=opens
    )
    result = decision_close(decision=decision, actor=clerk, now=closes)
    decision_finalise(
        decision=decision, actor=clerk, now=result.published_at + dt.timedelta(days=8)
    )
    decision.refresh_from_db()
    return decision


def published_notice(world, title, *, days=10, start=None, kind="general"):
    start = start or timezone.now()
    notice = notices.notice_create(
        neighbourhood=world.neighbourhood,
        compounds=[world.shuixia, world.maotai],
        kind=kind,
        title=title,
        body=title,
        display_from=start,
        display_until=start + dt.timedelta(days=days),
        actor=world.users["clerk"],
    )
    return notices.notice_publish(notice=notice, actor=world.users["clerk"], now=start)


def pdf(name="意见.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%opinion\n")
