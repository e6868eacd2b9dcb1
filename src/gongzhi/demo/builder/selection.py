"""The demo's provider selection: the pool, custody first, then the hiring plan, the
panel's blind scores, the ranking and the contracts."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from gongzhi.accounts.models import Role, User
from gongzhi.accounts.services import membership_grant
from gongzhi.registry.models import (
    Compound,
    Neighbourhood,
    PropertyCompany,
)

from ..names import PLAN_TITLE, REFERENCE_DECISION
from .world import SEED, demo_user

# --- provider selection -------------------------------------------------------


OFFICES = {  # invented coordinates
    "纺原物业": ("纺原物业水城路服务中心", "31.207600", "121.395100"),
    "虹桥物业 (虚构)": ("虹桥物业办公室", "31.196900", "121.400300"),
    "天山物业 (虚构)": ("天山物业办公室", "31.213500", "121.402400"),
    "古北物业 (虚构)": ("古北物业办公室", "31.199800", "121.404800"),
    "北新泾物业 (虚构)": ("北新泾物业办公室", "31.217300", "121.372100"),
}


def seed_selection(neighbourhood: Neighbourhood, companies: dict[str, PropertyCompany]) -> None:
    """Custody first, hire later: three custody requests, 纺原物业 picked as the nearest,
    a selection plan with bids, a compliant panel, its scores, the ranking and contracts."""
    from django.utils import timezone

    from gongzhi.selection import services
    from gongzhi.selection.models import CompanyOffice, SelectionPlan
    from gongzhi.voting.models import Decision

    for name, (label, lat, lon) in OFFICES.items():
        CompanyOffice.objects.get_or_create(
            company=companies[name],
            name=label,
            defaults={"latitude": Decimal(lat), "longitude": Decimal(lon)},
        )
    if SelectionPlan.objects.filter(title=PLAN_TITLE).exists():
        return
    now = timezone.now().replace(microsecond=0)
    clerk = User.objects.get(username="clerk")
    official = User.objects.get(username="official")
    committee = User.objects.get(username="committee")
    compounds = {c.name: c for c in Compound.objects.filter(neighbourhood=neighbourhood)}
    exiting = {"水霞小区": "仙霞物业", "安虹小区": "新程物业", "虹霞高层": "大楼物业"}
    for n, (name, company) in enumerate(exiting.items()):
        request = services.custody_request_create(
            compound=compounds[name],
            requested_by="committee",
            reason=f"{company}连年亏损，已书面告知退出本小区物业服务。（演示）",
            exiting_company=companies[company],
            exit_notice_date=timezone.localdate(now) - dt.timedelta(days=432 - n),
            actor=committee if name == "水霞小区" else clerk,
            now=now - dt.timedelta(days=418 - n),
        )
        starts = timezone.localdate(now) - dt.timedelta(days=410)
        services.custody_assign(
            request=request,
            company=companies["纺原物业"],
            starts_on=starts,
            months=6,
            actor=official,
            now=now - dt.timedelta(days=414 - n),
        )
        for item in request.handover.all():
            services.handover_mark(
                item=item, note="已移交（演示）", actor=official, now=now - dt.timedelta(days=410)
            )

    reference = Decision.objects.get(title=REFERENCE_DECISION)
    plan = services.plan_create(
        neighbourhood=neighbourhood,
        title=PLAN_TITLE,
        compounds=list(compounds.values()),
        decision=reference,
        bids_close_at=now - dt.timedelta(days=290),
        credit_requirements="信用良好，近三年无重大违法违规记录",
        staffing_requirements="项目经理持证上岗，每小区配备专职保洁、秩序维护人员",
        track_record_requirements="具有老旧小区物业服务经验",
        service_content="公共区域保洁、绿化、秩序维护、设施设备维修养护、电梯监控（云梯）",
        contract_months=36,
        method="评审工作小组以质论价、质价相符综合评审",
        actor=clerk,
    )
    plan = services.plan_publish(plan=plan, actor=clerk, now=now - dt.timedelta(days=312))
    bidders = {
        "纺原物业": ("1.80", "4.00", "0.50", 24, "72"),
        "虹桥物业 (虚构)": ("1.45", "3.50", "0.40", 15, "60"),
        "天山物业 (虚构)": ("1.95", "4.20", "0.60", 20, "65"),
    }
    bids = {}
    for name, (res, com, park, staff, share) in bidders.items():
        bids[name] = services.bid_submit(
            plan=plan,
            company=companies[name],
            fees={"residential": res, "commercial": com, "parking": park},
            staff=staff,
            public_revenue_share=share,
            term_months=36,
            service_items=[
                {"item": "公共区域保洁", "level": "一级"},
                {"item": "秩序维护", "level": "24小时"},
            ],
            actor=official,
            now=now - dt.timedelta(days=300),
        )
    members = [
        ("expert", "行业协会 评审专家", "industry_expert", True),
        ("expert2", "行业协会 专家乙（虚构）", "industry_expert", True),
        ("expert3", "行业协会 专家丙（虚构）", "industry_expert", True),
        ("expert4", "行业协会 专家丁（虚构）", "industry_expert", True),
        ("cityops", "城运中心 工程师（虚构）", "city_operations", True),
        ("clerk", "居委会 李干事", "residents_committee", False),
        ("committee", "水霞小区业委会 周委员", "owners_committee", False),
    ]
    seats = []
    for username, name, affiliation, expert in members:
        user = (
            demo_user(username, name)
            if username.startswith(("expert2", "expert3", "expert4", "cityops"))
            else User.objects.get(username=username)
        )
        if username.startswith(("expert", "cityops")):
            membership_grant(user=user, role=Role.EXPERT, actor=None)
        member = services.panel_add_member(
            plan=plan, user=user, name=name, affiliation=affiliation, is_expert=expert, actor=clerk
        )
        services.panel_declare(member=member, user=user, now=now - dt.timedelta(days=291))
        seats.append(member)
    closes = now - dt.timedelta(days=290)
    services.panel_open(plan=plan, actor=clerk, now=closes)
    rng = random.Random(SEED + 11)
    level = {"纺原物业": 0.9, "虹桥物业 (虚构)": 0.55, "天山物业 (虚构)": 0.75}
    criteria = {"plan": 25, "staffing": 20, "standards": 20, "record": 15}
    for member in seats:
        values = {
            bids[name].pk: {
                key: str(
                    round(min(top, max(0.0, top * (level[name] + rng.uniform(-0.06, 0.06)))), 1)
                )
                for key, top in criteria.items()
            }
            for name in bids
        }
        services.score_submit(
            member=member, values=values, user=member.user, now=closes + dt.timedelta(hours=2)
        )
    services.panel_close(plan=plan, actor=clerk, now=closes + dt.timedelta(hours=4))
    services.ranking_publish(
        plan=plan,
        posted_from=closes + dt.timedelta(days=1),
        posted_until=closes + dt.timedelta(days=5),
        actor=clerk,
    )
    services.presentation_record(
        plan=plan,
        held_at=closes + dt.timedelta(days=3),
        place="水霞居民区党群服务站",
        attendance=86,
        questions=[
            {
                "question": "高层电梯能否实时监控？",
                "answer": "纺原物业接入云梯电梯监控平台，故障 15 分钟内到场。（演示）",
            },
            {
                "question": "电瓶车充电桩何时安装？",
                "answer": "合同签订后三个月内在四个小区分批安装。（演示）",
            },
            {
                "question": "公共收益如何分配？",
                "answer": "公共收益的 72% 归全体业主，按季度公示。（演示）",
            },
        ],
        actor=clerk,
    )
    starts = timezone.localdate(now) - dt.timedelta(days=228)  # when custody ends
    for compound in compounds.values():
        services.contract_record(
            plan=plan,
            company=companies["纺原物业"],
            compounds=[compound],
            fees={"residential": "1.80", "commercial": "4.00", "parking": "0.50"},
            service_items=[
                {"item": "公共区域保洁", "level": "一级"},
                {"item": "秩序维护", "level": "24小时"},
                {"item": "电梯监控（云梯）", "level": "实时"},
            ],
            public_revenue_share="72",
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=3 * 365),
            signed_on=starts - dt.timedelta(days=12),
            actor=clerk,
        )
