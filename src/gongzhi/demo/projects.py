"""The demo's street-improvement project (美丽街区): 生态水城 around the 水霞 compounds,
with three items — the back gate of 水霞公园 (done), a fitness path (under way) and a
rest pavilion (planned) — their milestones with photos, the four-party meeting that
carries it and a resident's request it answers. Amounts, dates and places are
INVENTED. Seeded once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.cases.models import Meeting
from gongzhi.projects import services
from gongzhi.projects.models import Project
from gongzhi.registry.models import Neighbourhood
from gongzhi.servicedesk.models import ServiceRequest

from .images import tiny_png

TITLE = "美丽街区：生态水城（演示）"


def _photo(caption: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{caption}.png", tiny_png(caption), content_type="image/png")


def seed_projects(neighbourhood: Neighbourhood) -> None:
    if Project.objects.filter(title=TITLE).exists():
        return
    official = User.objects.get(username="official")
    clerk = User.objects.get(username="clerk")
    today = timezone.localdate()
    project = services.project_create(
        sub_district=neighbourhood.sub_district,
        title=TITLE,
        summary=(
            "沿水城路打通水霞公园后门，串联四个小区的健身步道，在绿地中加建休憩凉亭。"
            "资金来自街道美丽街区专项（演示数据）。"
        ),
        starts_on=today - dt.timedelta(days=120),
        ends_on=today + dt.timedelta(days=150),
        neighbourhoods=[neighbourhood],
        actor=official,
    )
    gate = services.item_save(
        project=project,
        actor=official,
        title="水霞公园后门",
        description="在水城路一侧开设公园后门，方便水霞小区、茅台雅苑居民进出。",
        weight=2,
        budget="380,000.00",
        starts_on=today - dt.timedelta(days=110),
        ends_on=today - dt.timedelta(days=30),
        location="水城路 水霞公园西侧",
        latitude=Decimal("31.207400"),
        longitude=Decimal("121.392300"),
    )
    path = services.item_save(
        project=project,
        actor=official,
        title="健身步道",
        description="连通四个小区的 1.2 公里塑胶步道，沿途设置照明。",
        weight=5,
        budget="1,250,000.00",
        starts_on=today - dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=60),
        location="水城路—茅台路—安顺路",
        latitude=Decimal("31.205600"),
        longitude=Decimal("121.389900"),
    )
    services.item_save(
        project=project,
        actor=official,
        title="休憩凉亭",
        description="在安虹小区与虹霞高层之间的绿地建一座凉亭和座椅。",
        weight=1,
        budget="160,000.00",
        starts_on=today + dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=120),
        location="安顺路绿地",
        latitude=Decimal("31.203600"),
        longitude=Decimal("121.388800"),
    )
    for days, title, progress, spent, caption in (
        (100, "围墙拆改方案经四方会议通过", 20, "40,000.00", "后门方案"),
        (70, "门体与门卫亭完工", 80, "300,000.00", "后门施工"),
        (35, "后门开放", 100, "372,600.00", "后门开放"),
    ):
        services.milestone_record(
            item=gate,
            actor=clerk,
            title=title,
            progress=progress,
            on=today - dt.timedelta(days=days),
            spent=spent,
            photos=[_photo(caption)],
        )
    for days, title, progress, spent, caption in (
        (50, "开工，茅台路段路基完成", 25, "260,000.00", "步道路基"),
        (12, "水城路段面层铺设完成", 60, "690,000.00", "步道面层"),
    ):
        services.milestone_record(
            item=path,
            actor=clerk,
            title=title,
            progress=progress,
            on=today - dt.timedelta(days=days),
            spent=spent,
            photos=[_photo(caption)],
        )
    dark = (
        ServiceRequest.objects.filter(
            compound__neighbourhood=neighbourhood, category__code="lighting"
        )
        .order_by("-created_at")
        .first()
    )
    if dark is not None:
        services.item_requests_link(item=path, requests=[dark], actor=clerk)
    meetings = Meeting.objects.filter(
        neighbourhood=neighbourhood, kind="four_party", agenda__contains="美丽街区"
    )
    services.links_set(project=project, actor=clerk, meetings=meetings)
    services.project_publish(project=project, published=True, actor=official)
