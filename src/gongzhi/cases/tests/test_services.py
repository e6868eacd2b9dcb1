"""A consolidation case from the task force to one area and one committee, and every
guard on the way refusing with its reason and changing nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.cases import services
from gongzhi.cases.lines import ActionEntry, AttendeeEntry
from gongzhi.cases.models import CommitteeFiling, StageReached
from gongzhi.cases.selectors import overdue_items
from gongzhi.cases.stages import Stage
from gongzhi.core.errors import ApplicationError
from gongzhi.registry.models import ManagementArea, OwnersCommittee
from gongzhi.registry.services import MemberSpec, current_management_area

from .conftest import decide, open_case, pdf, published_notice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

FOUR = [
    AttendeeEntry("party_branch", "水霞居民区党总支", "党总支书记"),
    AttendeeEntry("residents_committee", "水霞居民区居委会", "居委会主任"),
    AttendeeEntry("owners_committee", "水霞小区业委会", "业委会主任"),
    AttendeeEntry("property_company", "纺原物业", "项目经理"),
]


def held(world, case, kind, *, compounds=None, attendees=FOUR, actions=(), days_ago=30):
    start = timezone.now() - dt.timedelta(days=days_ago)
    meeting = services.meeting_plan(
        neighbourhood=world.neighbourhood,
        case=case,
        kind=kind,
        title=f"{kind} meeting",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="党群服务站",
        compounds=compounds or [world.shuixia, world.maotai],
        actor=world.users["clerk"],
    )
    return services.meeting_record(
        meeting=meeting,
        minutes="会议纪要：联系人 13812345678",
        attendees=attendees,
        actions=actions,
        actor=world.users["clerk"],
    )


def advance(case, world):
    return services.case_advance(case=case, actor=world.users["clerk"])


def test_a_guard_refuses_in_words_and_nothing_changes(world):
    case = open_case(world)
    with pytest.raises(ApplicationError) as refused:
        advance(case, world)
    assert "No task force has been formed." in refused.value.message
    assert refused.value.extra["missing"] == ["No task force has been formed."]
    case.refresh_from_db()
    assert case.stage == Stage.OPENED
    assert list(StageReached.objects.values_list("stage", flat=True)) == ["opened"]


def test_the_whole_case_to_completion(world, settings):
    clerk, official = world.users["clerk"], world.users["official"]
    case = open_case(world)

    # 1. The task force.
    task_force = services.task_force_form(
        case=case,
        name="水霞居民区物业集约化工作专班",
        leader="党总支书记",
        leader_organisation="水霞居民区党总支",
        formed_on=dt.date(2025, 9, 1),
        actor=clerk,
        members=[services.MemberEntry("李干事", "居委会", "组织会议")],
    )
    with pytest.raises(ApplicationError, match="no work plan"):
        advance(case, world)
    services.work_task_add(
        task_force=task_force,
        title="走访退出物业",
        owner=task_force.members.get(),
        due_on=dt.date(2025, 9, 30),
        actor=clerk,
    )
    case = advance(case, world)
    assert case.stage == Stage.TASK_FORCE

    # 2. Engagement: the exiting company's intention, a four-party meeting, residents.
    with pytest.raises(ApplicationError) as refused:
        advance(case, world)
    assert refused.value.extra["missing"] == [
        "水霞小区: the intention of 仙霞物业 is not recorded.",
        "水霞小区: its owners' committee has not been briefed at a four-party meeting.",
        "水霞小区: no residents' meeting has been held.",
        "茅台雅苑: its owners' committee has not been briefed at a four-party meeting.",
        "茅台雅苑: no residents' meeting has been held.",
    ]
    with pytest.raises(ApplicationError, match="written notice"):
        services.intention_record(
            case=case,
            compound=world.shuixia,
            company=world.companies["仙霞物业"],
            intention="leave",
            stated_on=dt.date(2025, 9, 10),
            actor=clerk,
        )
    services.intention_record(
        case=case,
        compound=world.shuixia,
        company=world.companies["仙霞物业"],
        intention="leave",
        stated_on=dt.date(2025, 9, 10),
        notice_reference="仙霞物业〔2025〕3号",
        actor=clerk,
    )
    held(world, case, "four_party")
    held(world, case, "representatives", attendees=FOUR[:2])
    case = advance(case, world)

    # 3. Custody: 茅台雅苑 already served by 纺原物业, so custody does not apply there.
    with pytest.raises(ApplicationError, match="水霞小区: no custodian"):
        advance(case, world)
    services.stage_waive(
        case=case,
        compound=world.maotai,
        stage=Stage.CUSTODY,
        reason="已由纺原物业服务",
        actor=clerk,
    )
    _custody(world)
    case = advance(case, world)

    # 4. Legality: an association's opinion, signed off by someone other than the uploader.
    opinion = services.legal_opinion_upload(
        case=case,
        association="上海市物业管理行业协会",
        title="合法性意见",
        conclusion="方案合法",
        upload=pdf(),
        actor=clerk,
    )
    with pytest.raises(ApplicationError, match="has not been signed off"):
        advance(case, world)
    with pytest.raises(ApplicationError, match="other than the uploader"):
        services.legal_opinion_sign_off(opinion=opinion, actor=clerk)
    services.legal_opinion_sign_off(opinion=opinion, actor=official)
    case = advance(case, world)

    # 5. Owners' approval in every compound.
    long_ago = timezone.now() - dt.timedelta(days=200)  # outside the 90-day cooling-off
    failed = decide(
        world, "同意由纺原物业提供物业服务", passes=("水霞小区",), matter="4", t0=long_ago
    )
    services.case_link(case=case, link="approval_decision", target=failed, actor=clerk)
    with pytest.raises(ApplicationError) as refused:
        advance(case, world)
    assert refused.value.extra["missing"] == ["茅台雅苑: the owners' decision has not passed."]
    approved = decide(world, "同意由纺原物业提供物业服务（再次征询）", matter="4")
    services.case_link(case=case, link="approval_decision", target=approved, actor=clerk)
    case = advance(case, world)

    # 6-8. Evaluation, disclosure, contracts, through the selection app.
    plan = _plan_ranked(world, approved)
    services.case_link(case=case, link="selection_plan", target=plan, actor=clerk)
    case = advance(case, world)
    notice = published_notice(world, "物业服务企业选聘结果公示", days=3, kind="ranking")
    services.case_link(case=case, link="disclosure_notice", target=notice, actor=clerk)
    with pytest.raises(ApplicationError, match="full period has not ended"):
        advance(case, world)
    case = services.case_advance(case=case, actor=clerk, now=notice.display_until)
    _contracts(world, plan)
    case = advance(case, world)
    assert case.stage == Stage.CONTRACTS

    # 9. One management area: the owners' decision and a published notice first.
    with pytest.raises(ApplicationError, match="Link the owners' decision"):
        services.areas_merge(
            case=case, name="水霞居民区物业管理区域", on=timezone.localdate(), actor=clerk
        )
    merger = decide(world, "同意两个小区合并为一个物业管理区域")
    services.case_link(case=case, link="merger_decision", target=merger, actor=clerk)
    with pytest.raises(ApplicationError, match="published notice"):
        services.areas_merge(
            case=case, name="水霞居民区物业管理区域", on=timezone.localdate(), actor=clerk
        )
    merger_notice = published_notice(world, "物业管理区域合并公告", kind="merger")
    services.case_link(case=case, link="merger_notice", target=merger_notice, actor=clerk)
    area = services.areas_merge(
        case=case, name="水霞居民区物业管理区域", on=timezone.localdate(), actor=clerk
    )
    assert current_management_area(compound=world.maotai) == area
    assert ManagementArea.objects.filter(merged_into=area).count() == 2  # kept as history
    case = advance(case, world)

    # 10. One committee: re-election (which blocks hire-or-dismiss votes), filings.
    case = services.reelection_start(case=case, on=timezone.localdate(), actor=clerk)
    with pytest.raises(ApplicationError, match="being re-elected"):
        decide(world, "同意解聘物业服务企业", matter="4", t0=timezone.now() - dt.timedelta(days=17))
    committee_vote = decide(world, "同意合并业主委员会")
    services.case_link(case=case, link="committee_decision", target=committee_vote, actor=clerk)
    committee = services.committees_merge(
        case=case,
        name="水霞居民区业主委员会",
        term_start=timezone.localdate(),
        term_end=timezone.localdate() + dt.timedelta(days=5 * 365),
        members=[MemberSpec("周主任", "chair"), MemberSpec("王委员", "member")],
        on=timezone.localdate(),
        actor=clerk,
    )
    assert set(OwnersCommittee.objects.filter(status="active")) == {committee}
    filings = list(CommitteeFiling.objects.order_by("kind", "committee__name"))
    assert [(f.kind, f.due_by - timezone.localdate()) for f in filings] == [
        ("cancel", dt.timedelta(days=30)),
        ("cancel", dt.timedelta(days=30)),
        ("record", dt.timedelta(days=30)),
    ]
    with pytest.raises(ApplicationError, match="Filing not yet made"):
        advance(case, world)
    for filing in filings:
        services.filing_record(
            filing=filing, filed_on=timezone.localdate(), reference="备案", actor=clerk
        )
    case = advance(case, world)

    # 11. Completed, once no action item is open.
    meeting = held(
        world,
        case,
        "coordination",
        actions=[
            ActionEntry("安装电瓶车充电桩", "纺原物业", timezone.localdate() - dt.timedelta(days=1))
        ],
    )
    assert [i.title for i in overdue_items(case=case)] == ["安装电瓶车充电桩"]
    with pytest.raises(ApplicationError, match="1 action items"):
        advance(case, world)
    services.action_item_close(
        item=meeting.action_items.get(),
        status="done",
        note="已安装 12 个",
        closed_on=timezone.localdate(),
        actor=clerk,
    )
    case = advance(case, world)
    assert case.stage == Stage.COMPLETED and case.completed_at is not None
    assert StageReached.objects.filter(case=case).count() == len(Stage.values)


def _custody(world):
    from gongzhi.selection.models import CompanyOffice, CustodyRequest, PoolEntry, ProviderPool
    from gongzhi.selection.services import custody_assign, custody_request_create

    pool = ProviderPool.objects.create(name="长宁区临时物业服务企业预选库", district="长宁区")
    PoolEntry.objects.create(
        pool=pool,
        company=world.companies["纺原物业"],
        admitted_on=dt.date(2024, 1, 1),
        valid_until=dt.date(2030, 1, 1),
        capacity=3,
    )
    CompanyOffice.objects.create(
        company=world.companies["纺原物业"], name="办公室", latitude="31.2063", longitude="121.3938"
    )
    world.shuixia.latitude, world.shuixia.longitude = "31.2060", "121.3940"
    world.shuixia.save()
    request = custody_request_create(
        compound=world.shuixia,
        requested_by="committee",
        reason="仙霞物业退出",
        exiting_company=world.companies["仙霞物业"],
        exit_notice_date=dt.date(2025, 9, 10),
        actor=world.users["committee_shuixia"],
    )
    custody_assign(
        request=request,
        company=world.companies["纺原物业"],
        starts_on=timezone.localdate(),
        months=6,
        actor=world.users["official"],
    )
    assert CustodyRequest.objects.get().status == "assigned"


def _plan_ranked(world, decision):
    from gongzhi.selection import services as selection
    from gongzhi.selection.tests.test_services import panel

    now = timezone.now()
    clerk = world.users["clerk"]
    plan = selection.plan_create(
        neighbourhood=world.neighbourhood,
        title="选聘方案",
        compounds=[world.shuixia, world.maotai],
        decision=decision,
        bids_close_at=now - dt.timedelta(days=6),
        actor=clerk,
    )
    selection.plan_publish(plan=plan, actor=clerk, now=now - dt.timedelta(days=20))
    bid = selection.bid_submit(
        plan=plan,
        company=world.companies["纺原物业"],
        fees={"residential": "1.80"},
        staff=10,
        public_revenue_share="70",
        term_months=36,
        actor=clerk,
        now=now - dt.timedelta(days=10),
    )

    from gongzhi.accounts.models import Role
    from gongzhi.accounts.services import membership_grant
    from gongzhi.registry.tests.factories import UserFactory

    holder = type("P", (), {"users": {}})()
    for n in range(5):
        holder.users[f"expert{n}"] = UserFactory(username=f"expert{n}")
        membership_grant(user=holder.users[f"expert{n}"], role=Role.EXPERT, actor=None)
    holder.users["committee"] = world.users["committee_shuixia"]
    holder.users["clerk"] = clerk
    members = panel(holder, plan, experts=4, others=1)
    selection.panel_open(plan=plan, actor=clerk, now=now - dt.timedelta(days=5))
    for member in members:
        selection.score_submit(
            member=member,
            values={bid.pk: {"plan": "20", "staffing": "16", "standards": "16", "record": "12"}},
            user=member.user,
        )
    selection.panel_close(plan=plan, actor=clerk, now=now - dt.timedelta(days=5))
    selection.ranking_publish(
        plan=plan,
        posted_from=now - dt.timedelta(days=4),
        posted_until=now - dt.timedelta(days=1),
        actor=clerk,
    )
    return plan


def _contracts(world, plan):
    from gongzhi.selection import services as selection

    for compound in (world.shuixia, world.maotai):
        selection.contract_record(
            plan=plan,
            company=world.companies["纺原物业"],
            compounds=[compound],
            fees={"residential": "1.80"},
            service_items=[],
            public_revenue_share="70",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + dt.timedelta(days=1095),
            signed_on=timezone.localdate(),
            actor=world.users["clerk"],
        )


def test_a_decision_counted_over_the_combined_area_cannot_approve_per_compound(world):
    from gongzhi.voting.services import ItemSpec, decision_create

    case = open_case(world)
    combined = decision_create(
        neighbourhood=world.neighbourhood,
        title="合并后的表决",
        text="",
        compounds=[world.shuixia, world.maotai],
        items=[ItemSpec(text="?", matter="9")],
        opens_at=timezone.now() + dt.timedelta(days=20),
        closes_at=timezone.now() + dt.timedelta(days=30),
        actor=world.users["clerk"],
        scope="combined",
    )
    with pytest.raises(ApplicationError, match="counted per compound"):
        services.case_link(
            case=case, link="approval_decision", target=combined, actor=world.users["clerk"]
        )
    case.refresh_from_db()
    assert case.approval_decision is None


def test_a_four_party_meeting_needs_all_four_parties(world):
    case = open_case(world)
    with pytest.raises(ApplicationError, match="absent: owners' committee、property company"):
        held(world, case, "four_party", attendees=FOUR[:2])
    assert not case.meetings.filter(status="held").exists()
    meeting = case.meetings.get()
    assert meeting.status == "planned" and not meeting.attendees.exists()


def test_minutes_are_masked_and_a_meeting_is_not_recorded_before_it_happens(world):
    case = open_case(world)
    meeting = held(world, case, "coordination", attendees=FOUR[:1])
    assert "13812345678" not in meeting.minutes and "138****5678" in meeting.minutes
    future = services.meeting_plan(
        neighbourhood=world.neighbourhood,
        kind="consultation",
        title="征询会",
        starts_at=timezone.now() + dt.timedelta(days=2),
        ends_at=timezone.now() + dt.timedelta(days=2, hours=2),
        place="活动室",
        compounds=[world.shuixia],
        actor=world.users["clerk"],
    )
    with pytest.raises(ApplicationError, match="not taken place"):
        services.meeting_record(
            meeting=future, minutes="x", attendees=FOUR, actor=world.users["clerk"]
        )


def test_a_waiver_needs_a_reason_and_only_for_per_compound_stages(world):
    case = open_case(world)
    with pytest.raises(ApplicationError, match="compound by compound"):
        services.stage_waive(
            case=case,
            compound=world.maotai,
            stage=Stage.LEGALITY,
            reason="x",
            actor=world.users["clerk"],
        )
    with pytest.raises(ApplicationError, match="Say why"):
        services.stage_waive(
            case=case,
            compound=world.maotai,
            stage=Stage.CUSTODY,
            reason=" ",
            actor=world.users["clerk"],
        )
    assert not case.waivers.exists()
