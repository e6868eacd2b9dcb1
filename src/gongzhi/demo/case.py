"""The reference case run to its end: task force, engagement, custody, legality, the
owners' approval, evaluation, disclosure, contracts, one management area and one
owners' committee; the meetings (34 consultation and coordination meetings among
them), the notices, and the sunshine afterwards. Names of people are invented."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.registry.models import Compound, Neighbourhood, Owner, PropertyCompany
from gongzhi.registry.services import MemberSpec

from .builder.decisions import voted_decision
from .names import OPEN_DECISION, PLAN_TITLE, REFERENCE_DECISION

CASE_TITLE = "水霞居民区四个小区物业集约化管理"
MERGER_DECISION = "同意四个小区合并为一个物业管理区域"
COMMITTEE_DECISION = "同意四个小区业主委员会合并，选举产生新一届业主委员会"
MERGED_AREA = "水霞居民区物业管理区域"
MERGED_COMMITTEE = "水霞居民区业主委员会"
SEED = 20261127

EXITING = {"水霞小区": "仙霞物业", "安虹小区": "新程物业", "虹霞高层": "大楼物业"}
TOPICS = [
    "托管期间服务质量",
    "物业费标准与服务项目",
    "高层电梯监控（云梯）",
    "电瓶车充电桩选址",
    "居民家中漏水维修",
    "老旧管道更换",
    "停车管理",
    "公共收益分配",
    "合并物业管理区域的程序",
    "业委会合并与换届",
    "垃圾分类驳运",
    "美丽街区改造（公园大门、健身步道、凉亭）",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"


def _pdf(title: str) -> SimpleUploadedFile:
    """A small, valid one-page PDF standing in for a signed paper."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from gongzhi.core.pdf import register_font

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont(register_font(), 14)
    canvas.drawString(72, 760, title)
    canvas.drawString(72, 730, "（演示文件，内容为虚构）")
    canvas.save()
    return SimpleUploadedFile(f"{title}.pdf", buffer.getvalue())


def _person(rng: random.Random, role: str) -> str:
    return f"{role} {rng.choice(SURNAMES)}某（虚构）"


def seed_case(neighbourhood: Neighbourhood, companies: dict[str, PropertyCompany]) -> None:
    from gongzhi.cases import services
    from gongzhi.cases.lines import ActionEntry, AttendeeEntry
    from gongzhi.cases.models import ConsolidationCase
    from gongzhi.cases.stages import Stage
    from gongzhi.notices import services as notices
    from gongzhi.selection.models import SelectionPlan

    if ConsolidationCase.objects.filter(title=CASE_TITLE).exists():
        return
    rng = random.Random(SEED + 21)
    now = timezone.now().replace(microsecond=0)

    def ago(days: float, hours: float = 0) -> dt.datetime:
        return now - dt.timedelta(days=days, hours=hours)

    def day(days: float) -> dt.date:
        return timezone.localdate(ago(days))

    clerk = User.objects.get(username="clerk")
    official = User.objects.get(username="official")
    compounds = {c.name: c for c in Compound.objects.filter(neighbourhood=neighbourhood)}
    everyone = [compounds[n] for n in sorted(compounds)]
    case = services.case_open(
        neighbourhood=neighbourhood,
        title=CASE_TITLE,
        compounds=[
            (compounds[name], companies[EXITING[name]] if name in EXITING else None)
            for name in sorted(compounds)
        ],
        actor=clerk,
        now=ago(440),
    )

    def advance(days: float) -> None:
        services.case_advance(case=case, actor=clerk, now=ago(days))

    # 1. Ice-breaking: the task force and its work plan.
    task_force = services.task_force_form(
        case=case,
        name="水霞居民区物业集约化管理工作专班",
        leader="党总支书记 赵某（虚构）",
        leader_organisation="水霞居民区党总支",
        guiding_departments="仙霞新村街道社区管理办公室、长宁区房屋管理局",
        formed_on=day(438),
        actor=clerk,
        members=[
            services.MemberEntry(
                "居委会 李干事", "水霞居民区居民委员会", "会议组织、意见征询、表决"
            ),
            services.MemberEntry("街道 王科长", "仙霞新村街道办事处", "托管申请与选定、备案"),
            services.MemberEntry(
                "业委会 周委员（虚构）", "水霞小区业主委员会", "联络四个小区业委会"
            ),
            services.MemberEntry("城运中心 钱工（虚构）", "街道城运中心", "设施设备评估"),
        ],
    )
    members = list(task_force.members.order_by("pk"))
    for n, (title, owner, due) in enumerate(
        [
            ("走访三家退出物业，了解退出意向", 0, 432),
            ("召开四位一体联席会议", 0, 428),
            ("申请临时托管", 1, 418),
            ("协调行业协会出具合法性意见", 1, 400),
            ("组织四个小区业主表决", 0, 324),
            ("物业管理区域合并与业委会换届备案", 1, 80),
        ]
    ):
        task = services.work_task_add(
            task_force=task_force, title=title, owner=members[owner], due_on=day(due), actor=clerk
        )
        services.work_task_close(task=task, done_on=day(due + 1 - n % 2), actor=clerk)
    advance(437)

    # 2. Engagement: the three exiting companies' notices, four-party meetings, residents.
    for n, (name, company) in enumerate(sorted(EXITING.items())):
        services.intention_record(
            case=case,
            compound=compounds[name],
            company=companies[company],
            intention="leave",
            stated_on=day(432 - n),
            notice_reference=f"{company}〔2025〕{n + 1}号 退出告知函（虚构）",
            note="连年亏损，书面告知退出；托管企业接管前继续服务。",
            actor=clerk,
        )

    def attendees(compound_names, *, company="纺原物业") -> list[AttendeeEntry]:
        rows = [
            AttendeeEntry("party_branch", "水霞居民区党总支", "赵某（虚构）", "书记"),
            AttendeeEntry("residents_committee", "水霞居民区居委会", "居委会 李干事", "干事"),
            AttendeeEntry("sub_district", "仙霞新村街道", "街道 王科长", "科长"),
            AttendeeEntry("property_company", company, _person(rng, "项目经理"), "项目经理"),
        ]
        rows += [
            AttendeeEntry("owners_committee", f"{name}业主委员会", _person(rng, "主任"), "主任")
            for name in compound_names
        ]
        return rows

    def meeting(kind, title, days, names, *, minutes, resolutions=(), actions=(), people=None):
        start = ago(days).replace(hour=1, minute=30)  # 09:30 in Shanghai
        planned = services.meeting_plan(
            neighbourhood=neighbourhood,
            case=case,
            kind=kind,
            title=title,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            place="水霞居民区党群服务站",
            compounds=[compounds[n] for n in names],
            agenda="；".join(resolutions) or title,
            actor=clerk,
        )
        return services.meeting_record(
            meeting=planned,
            minutes=minutes,
            attendees=people or attendees(names),
            resolutions=list(resolutions),
            actions=list(actions),
            actor=clerk,
            now=start + dt.timedelta(hours=3),
        )

    names = sorted(compounds)
    meeting(
        "four_party",
        "四位一体联席会议：三家物业退出后的托管安排",
        428,
        names,
        minutes=(
            "党总支、居委会、四个小区业委会和物业企业代表参会。三家物业企业书面告知退出；"
            "会议讨论了先托管后选聘的方案和就近原则。业主来电可拨打居委会值班电话 021-62345678，"
            "或联系李干事 13812345678。"
        ),
        resolutions=["由三个小区业委会向街道申请临时托管", "邀请行业协会专家解读法律程序"],
        actions=[ActionEntry("起草托管申请", "居委会 李干事", day(420))],
        people=attendees(names, company="纺原物业")
        + [AttendeeEntry("property_company", "仙霞物业", _person(rng, "经理"), "经理")],
    )
    for kind, label, days in [
        ("representatives", "居民代表会议", 425),
        ("party_members", "党员大会", 424),
        ("building_leaders", "楼组长会议", 423),
        ("backbone", "居民骨干会议", 422),
    ]:
        meeting(
            kind,
            f"{label}：物业集约化管理方案说明",
            days,
            names,
            minutes=f"向{label}说明物业集约化管理的原因、程序和时间表，听取意见。",
            people=attendees([])[:2] + [AttendeeEntry("owners", "业主代表", "业主代表若干", "")],
        )
    meeting(
        "expert_qa",
        "专家答疑会：托管与选聘的法律程序",
        421,
        names,
        minutes="行业协会专家解答托管期限、业主表决双过半、物业管理区域合并等问题。",
        people=attendees(names)
        + [AttendeeEntry("association", "长宁区物业管理行业协会", _person(rng, "专家"), "专家")],
    )
    advance(420)

    # 3. Custody (recorded by the selection app); 茅台雅苑 is already served by 纺原物业.
    services.stage_waive(
        case=case,
        compound=compounds["茅台雅苑"],
        stage=Stage.CUSTODY,
        reason="茅台雅苑原由纺原物业提供服务，无需托管。",
        actor=clerk,
        now=ago(416),
    )
    advance(410)

    # The 34 consultation and coordination meetings of the story.
    for n in range(34):
        kind = "consultation" if n % 2 == 0 else "coordination"
        topic = TOPICS[n % len(TOPICS)]
        chosen = sorted(rng.sample(names, rng.randint(1, 4)))
        closes_item = n % 5 == 0
        meeting(
            kind,
            f"{'征询会' if kind == 'consultation' else '协调会'}：{topic}",
            405 - n * 5,
            chosen,
            minutes=f"围绕“{topic}”听取业主意见并协调各方，形成处理意见。",
            resolutions=[f"{topic}：按会议意见落实，结果在公示栏公布"],
            actions=[ActionEntry(f"落实{topic}", "纺原物业 项目经理", day(400 - n * 5))]
            if closes_item
            else [],
        )

    # 4. Legality: the association's opinion, signed off by the sub-district.
    opinion = services.legal_opinion_upload(
        case=case,
        association="长宁区物业管理行业协会",
        title="关于水霞居民区物业集约化管理方案合法性的专家意见",
        conclusion=(
            "托管、选聘、合并物业管理区域及业委会的程序符合《民法典》和《上海市住宅物业管理规定》。"
        ),
        upload=_pdf("合法性专家意见"),
        actor=clerk,
        now=ago(400),
    )
    services.legal_opinion_sign_off(opinion=opinion, actor=official, now=ago(398))
    advance(397)

    # 5-8. Approval, evaluation, disclosure, contracts: decisions and selection so far.
    from gongzhi.voting.models import Decision

    reference = Decision.objects.get(title=REFERENCE_DECISION)
    services.case_link(case=case, link="approval_decision", target=reference, actor=clerk)
    advance(314)
    plan = SelectionPlan.objects.get(title=PLAN_TITLE)
    services.case_link(case=case, link="selection_plan", target=plan, actor=clerk)
    advance(289)
    ranking = plan.ranking
    disclosure = notices.notice_create(
        neighbourhood=neighbourhood,
        compounds=everyone,
        kind="ranking",
        title="水霞居民区物业服务企业选聘结果公示",
        body=_ranking_body(ranking.candidates),
        display_from=ranking.posted_from,
        display_until=ranking.posted_until,
        opinions_open=True,
        actor=clerk,
    )
    disclosure = notices.notice_publish(notice=disclosure, actor=clerk, now=ranking.posted_from)
    services.case_link(case=case, link="disclosure_notice", target=disclosure, actor=clerk)
    meeting(
        "bid_presentation",
        "竞聘说明会：纺原物业服务方案",
        287,
        names,
        minutes="纺原物业介绍服务方案、收费标准和公共收益分配，回答业主提问。",
        people=attendees(names) + [AttendeeEntry("owners", "业主", "到会业主 86 人", "")],
    )
    advance(284)
    fees = notices.notice_create(
        neighbourhood=neighbourhood,
        compounds=everyone,
        kind="fees",
        title="纺原物业收费标准、服务项目及公共收益分配公示",
        body=(
            "<h3>收费标准（元/平方米·月）</h3><table><tr><th>物业类型</th><th>标准</th></tr>"
            "<tr><td>住宅</td><td>1.80</td></tr><tr><td>商业</td><td>4.00</td></tr>"
            "<tr><td>车位</td><td>0.50</td></tr></table>"
            "<h3>服务项目</h3><ul><li>公共区域保洁：一级</li><li>秩序维护：24小时</li>"
            "<li>电梯监控（云梯）：实时</li></ul>"
            "<p>公共收益的 72% 归全体业主，按季度公示。</p>"
        ),
        display_from=ago(240),
        display_until=ago(225),
        actor=clerk,
    )
    fees = notices.notice_publish(notice=fees, actor=clerk, now=ago(240))
    case.notices.add(fees)
    advance(227)

    # 9. One management area: the owners' vote in each compound, the notice, the merger.
    merger = voted_decision(
        neighbourhood,
        title=MERGER_DECISION,
        text="四个小区物业服务已统一由纺原物业提供。根据《上海市住宅物业管理规定》第十条，"
        "拟将四个小区合并为一个物业管理区域。请各小区业主表决。（演示数据，表决结果为虚构）",
        question="是否同意四个小区合并为一个物业管理区域？",
        matter="9",
        opens=ago(199),
        closes=ago(185),
        seed=SEED + 31,
    )
    services.case_link(case=case, link="merger_decision", target=merger, actor=clerk)
    merger_notice = notices.notice_create(
        neighbourhood=neighbourhood,
        compounds=everyone,
        kind="merger",
        title="关于四个小区合并为一个物业管理区域的公告",
        body=(
            "四个小区业主分别表决，均以专有部分面积和人数双过半同意合并。"
            "自公告期满之日起，水霞小区、茅台雅苑、安虹小区、虹霞高层合并为水霞居民区物业管理区域。"
        ),
        display_from=ago(175),
        display_until=ago(160),
        actor=clerk,
    )
    merger_notice = notices.notice_publish(notice=merger_notice, actor=clerk, now=ago(175))
    services.case_link(case=case, link="merger_notice", target=merger_notice, actor=clerk)
    services.areas_merge(case=case, name=MERGED_AREA, on=day(158), actor=clerk, now=ago(158))
    advance(157)

    # 10. One owners' committee: re-election, the consultation, the new committee, filings.
    services.reelection_start(case=case, on=day(150), actor=clerk)
    committee_vote = voted_decision(
        neighbourhood,
        title=COMMITTEE_DECISION,
        text="物业管理区域合并后，四个小区业主委员会合并，由合并后的业主大会选举产生新一届"
        "业主委员会。（演示数据，表决结果为虚构）",
        question="是否同意四个小区业主委员会合并并选举新一届业主委员会？",
        matter="3",
        opens=ago(132),
        closes=ago(118),
        seed=SEED + 32,
    )
    services.case_link(case=case, link="committee_decision", target=committee_vote, actor=clerk)
    case.refresh_from_db()
    services.committees_merge(
        case=case,
        name=MERGED_COMMITTEE,
        term_start=day(105),
        term_end=day(105) + dt.timedelta(days=5 * 365),
        members=_merged_members(everyone, rng),
        on=day(105),
        actor=clerk,
    )
    for filing in case.filings.order_by("pk"):
        services.filing_record(
            filing=filing,
            filed_on=day(90 if filing.kind == "cancel" else 80),
            reference=f"仙霞街道业委会备案〔2026〕{filing.pk}号（虚构）",
            actor=official,
        )
    advance(79)

    # Every action item of the case's meetings is closed before the case completes.
    from gongzhi.cases.models import ActionItem

    for item in ActionItem.objects.filter(meeting__case=case, status="open"):
        services.action_item_close(
            item=item,
            status="done",
            note="已落实，结果已公示。",
            closed_on=min(item.due_on, day(80)),
            actor=clerk,
        )
    advance(78)


def _ranking_body(candidates) -> str:
    rows = "".join(
        f"<tr><td>{c['rank']}</td><td>{c['company']}</td><td>{c['total']}</td></tr>"
        for c in candidates
    )
    return (
        "<p>经评审工作小组以质论价、质价相符综合评审，候选企业排名如下：</p>"
        f"<table><tr><th>排名</th><th>企业</th><th>总分</th></tr>{rows}</table>"
        "<p>公示期内业主可提出意见。</p>"
    )


def _merged_members(compounds, rng: random.Random) -> list[MemberSpec]:
    """Nine members drawn from the four compounds' owners (invented people)."""
    seats = []
    for compound, count in zip(compounds, (3, 2, 2, 2), strict=True):
        owners = list(
            Owner.objects.filter(units__compound=compound, kind="person")
            .distinct()
            .order_by("pk")[:40]
        )
        seats += rng.sample(owners, count)
    roles = ["chair", "vice_chair", "vice_chair"] + ["member"] * (len(seats) - 3)
    return [
        MemberSpec(name=o.name, role=role, phone=o.phone, owner=o)
        for o, role in zip(seats, roles, strict=True)
    ]


def seed_notices(neighbourhood: Neighbourhood) -> None:
    """The board today: a current notice asking for opinions (one answered), the notice
    of the open vote, the public-revenue statement, and a planned four-party meeting
    that carries an overdue action item."""
    from gongzhi.cases import services as cases
    from gongzhi.cases.lines import ActionEntry, AttendeeEntry
    from gongzhi.notices import services
    from gongzhi.notices.models import Notice
    from gongzhi.registry.services import current_management_area
    from gongzhi.voting.models import Decision

    if Notice.objects.filter(title="电梯监控及电瓶车充电桩安装进度公示").exists():
        return
    now = timezone.now().replace(microsecond=0)
    clerk = User.objects.get(username="clerk")
    compounds = list(Compound.objects.filter(neighbourhood=neighbourhood).order_by("name"))
    progress = services.notice_create(
        neighbourhood=neighbourhood,
        compounds=compounds,
        kind="progress",
        title="电梯监控及电瓶车充电桩安装进度公示",
        body=(
            "<p>虹霞高层 8 台电梯已全部接入云梯电梯监控平台，故障 15 分钟内到场。</p>"
            "<p>四个小区电瓶车充电桩拟分三批安装，具体选址见附件。意见请在公示期内提出，"
            "或联系纺原物业项目经理 13912345678。</p>"
        ),
        display_from=now - dt.timedelta(days=3),
        display_until=now + dt.timedelta(days=12),
        opinions_open=True,
        actor=clerk,
    )
    progress = services.notice_publish(notice=progress, actor=clerk, now=now - dt.timedelta(days=3))
    owner2 = User.objects.get(username="owner2")
    opinion = services.opinion_leave(
        notice=progress,
        user=owner2,
        text="建议充电桩远离楼道出入口，并安装雨棚。（演示）",
        now=now - dt.timedelta(days=2),
    )
    services.opinion_answer(
        opinion=opinion,
        answer="已采纳：第一批充电桩设在茅台雅苑北侧车棚，加装雨棚和烟感。（演示）",
        actor=clerk,
        now=now - dt.timedelta(days=1),
    )

    vote = Decision.objects.get(title=OPEN_DECISION)
    assembly = services.notice_create(
        neighbourhood=neighbourhood,
        compounds=compounds,
        kind="assembly",
        title="关于使用公共收益安装电瓶车充电桩的业主表决公告",
        body=(
            f"<p>表决期间：{timezone.localtime(vote.opens_at):%Y-%m-%d} 至 "
            f"{timezone.localtime(vote.closes_at):%Y-%m-%d}。四个小区已合并为一个物业管理区域，"
            "按合并后的区域统一计票。可网上投票，也可领取书面表决票。</p>"
        ),
        event_at=vote.opens_at,
        display_from=vote.opens_at - dt.timedelta(days=16),
        display_until=vote.closes_at,
        actor=clerk,
    )
    services.notice_publish(notice=assembly, actor=clerk, now=vote.opens_at - dt.timedelta(days=16))

    area = current_management_area(compound=compounds[0])
    if area is not None:
        statement = services.statement_create(
            management_area=area,
            year=2026,
            quarter=3,
            income="停车费: 36,000.00\n电梯广告: 8,400.00\n场地租赁: 12,000.00",
            expenses="公共收益管理服务费: 5,640.00\n年度审计费: 2,000.00",
            to_maintenance_fund=Decimal("29256.00"),
            note="其余部分用于电瓶车充电桩建设，经业主表决后使用。（演示数据）",
            actor=clerk,
        )
        services.statement_publish(
            statement=statement,
            display_from=now - dt.timedelta(days=50),
            display_until=now + dt.timedelta(days=40),
            actor=clerk,
            now=now - dt.timedelta(days=50),
        )

    # The four-party mechanism after consolidation: residents' concerns, with an overdue item.
    start = (now - dt.timedelta(days=20)).replace(hour=1, minute=30)
    held = cases.meeting_plan(
        neighbourhood=neighbourhood,
        kind="four_party",
        title="四位一体联席会议：漏水、管道老化与充电桩",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="水霞居民区党群服务站",
        compounds=compounds,
        agenda="居民家中漏水；老旧管道更换；电瓶车充电桩选址",
        actor=clerk,
    )
    cases.meeting_record(
        meeting=held,
        minutes="讨论虹霞高层 12 楼漏水、安虹小区老旧管道和充电桩选址。",
        attendees=[
            AttendeeEntry("party_branch", "水霞居民区党总支", "赵某（虚构）", "书记"),
            AttendeeEntry("residents_committee", "水霞居民区居委会", "居委会 李干事", "干事"),
            AttendeeEntry("owners_committee", "水霞居民区业主委员会", "孙某（虚构）", "主任"),
            AttendeeEntry("property_company", "纺原物业", "纺原物业 项目经理", "项目经理"),
        ],
        resolutions=["纺原物业两周内完成安虹小区 3 号楼管道更换方案", "充电桩选址公示后施工"],
        actions=[
            ActionEntry(
                "安虹小区 3 号楼老旧管道更换方案",
                "纺原物业 项目经理",
                timezone.localdate(now - dt.timedelta(days=6)),
            ),
            ActionEntry(
                "充电桩选址公示", "居委会 李干事", timezone.localdate(now + dt.timedelta(days=5))
            ),
        ],
        actor=clerk,
        now=start + dt.timedelta(hours=3),
    )
    upcoming = (now + dt.timedelta(days=6)).replace(hour=6, minute=30)
    cases.meeting_plan(
        neighbourhood=neighbourhood,
        kind="four_party",
        title="四位一体联席会议（例会）",
        starts_at=upcoming,
        ends_at=upcoming + dt.timedelta(hours=2),
        place="水霞居民区党群服务站",
        compounds=compounds,
        agenda="上次会议待办事项落实情况；美丽街区改造",
        actor=clerk,
    )
