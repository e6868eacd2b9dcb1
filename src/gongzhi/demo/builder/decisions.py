"""The demo's owners' decisions: the reference decision voted online, one run on
paper from delivery to the final result, and one still open."""

from __future__ import annotations

import datetime as dt
import random

from gongzhi.accounts.models import Role, User
from gongzhi.registry.models import (
    Compound,
    Neighbourhood,
)

from ..names import OPEN_DECISION, PAPER_DECISION, REFERENCE_DECISION
from .world import SEED

# --- owners' decisions --------------------------------------------------------


def _cast_demo_ballots(decision, clerk, *, share: float, agree: float, when, seed: int) -> None:
    """Paper ballots for an invented share of the units, entered as one count.

    Units of the owner persona are left for the persona to vote on."""
    from gongzhi.accounts.models import Membership
    from gongzhi.voting.services import ballots_enter_paper_batch

    rng = random.Random(seed)
    persona_owners = set(
        Membership.objects.filter(role=Role.OWNER).values_list("owner_id", flat=True)
    )
    items = list(decision.items.all())
    sheets = []
    entries = (
        decision.register.filter(excluded=False).prefetch_related("owner_links").order_by("pk")
    )
    for entry in entries:
        if rng.random() >= share:
            continue
        if persona_owners & {link.owner_id for link in entry.owner_links.all()}:
            continue
        value = "agree" if rng.random() < agree else rng.choice(["disagree", "abstain"])
        sheets.append((entry, {item.pk: value for item in items}))
    ballots_enter_paper_batch(
        decision=decision, sheets=sheets, clerk=clerk, received_at=when, now=when
    )


def voted_decision(
    neighbourhood: Neighbourhood,
    *,
    title: str,
    text: str,
    question: str,
    matter: str,
    opens: dt.datetime,
    closes: dt.datetime,
    seed: int,
    rule: str | None = None,
    share: float = 0.84,
    agree: float = 0.82,
):
    """An owners' decision over the four compounds, counted per compound, voted on
    paper (invented ballots) and published with its final result; idempotent."""
    from gongzhi.voting.models import Decision
    from gongzhi.voting.services import (
        ItemSpec,
        decision_announce,
        decision_close,
        decision_create,
        decision_finalise,
        decision_open,
    )

    existing = Decision.objects.filter(title=title).first()
    if existing is not None:
        return existing
    clerk = User.objects.get(username="clerk")
    decision = decision_create(
        neighbourhood=neighbourhood,
        title=title,
        text=text,
        compounds=list(Compound.objects.filter(neighbourhood=neighbourhood).order_by("pk")),
        items=[ItemSpec(text=question, matter=matter, rule=rule)],
        opens_at=opens,
        closes_at=closes,
        actor=clerk,
        scope="each",
        excluded_uses=["parking"],
    )
    decision = decision_announce(decision=decision, actor=clerk, now=opens - dt.timedelta(days=16))
    decision = decision_open(decision=decision, actor=clerk, now=opens)
    _cast_demo_ballots(
        decision, clerk, share=share, agree=agree, when=opens + dt.timedelta(days=3), seed=seed
    )
    result = decision_close(decision=decision, actor=clerk, now=closes + dt.timedelta(hours=1))
    decision_finalise(
        decision=decision, actor=clerk, now=result.published_at + dt.timedelta(days=8)
    )
    decision.refresh_from_db()
    return decision


def seed_decisions(neighbourhood: Neighbourhood) -> None:
    """The reference decision, worded as the case worded it (Property Law 2007)."""
    from django.utils import timezone

    now = timezone.now().replace(microsecond=0)
    voted_decision(
        neighbourhood,
        title=REFERENCE_DECISION,
        text=(
            "原物业服务企业（大楼物业、新程物业、仙霞物业）已书面告知退出。经四位一体联席会议协商，"
            "街道按就近原则从长宁区临时物业服务企业预选库中选定纺原物业。现征询各小区业主意见："
            "是否同意由纺原物业提供物业服务。（演示数据，表决结果为虚构）"
        ),
        question="是否同意由纺原物业为本小区提供物业服务？",
        matter="4",
        rule="property-law-2007:ordinary",
        opens=now - dt.timedelta(days=344),
        closes=now - dt.timedelta(days=324),
        seed=SEED + 7,
        share=0.82,
        agree=0.78,
    )


def seed_open_decision(neighbourhood: Neighbourhood) -> None:
    """After the merger the four compounds decide together: a vote open now, counted
    over the combined area, with about 45% of the units voted."""
    from django.utils import timezone

    from gongzhi.voting.models import Decision
    from gongzhi.voting.services import ItemSpec, decision_announce, decision_create, decision_open

    if Decision.objects.filter(title=OPEN_DECISION).exists():
        return
    clerk = User.objects.get(username="clerk")
    compounds = list(Compound.objects.filter(neighbourhood=neighbourhood).order_by("pk"))
    now = timezone.now().replace(microsecond=0)
    opens = now - dt.timedelta(days=2)
    decision = decision_create(
        neighbourhood=neighbourhood,
        title=OPEN_DECISION,
        text=(
            "经四位一体联席会议协商，拟使用公共收益在四个小区分批安装电瓶车充电桩，"
            "由纺原物业负责日常管理。四个小区已合并为一个物业管理区域，本次表决按合并后的"
            "物业管理区域统一计票。（演示数据）"
        ),
        compounds=compounds,
        items=[ItemSpec(text="是否同意使用公共收益安装电瓶车充电桩？", matter="9")],
        opens_at=opens,
        closes_at=now + dt.timedelta(days=19),
        actor=clerk,
        scope="combined",
        non_voter_clause=False,
        excluded_uses=["parking"],
    )
    decision = decision_announce(decision=decision, actor=clerk, now=opens - dt.timedelta(days=16))
    decision = decision_open(decision=decision, actor=clerk, now=opens)
    _cast_demo_ballots(
        decision,
        clerk,
        share=0.45,
        agree=0.8,
        when=opens + dt.timedelta(hours=5),
        seed=SEED + 8,
    )


def seed_paper_decision(neighbourhood: Neighbourhood) -> None:
    """One decision run on paper from end to end: deliveries, two sealed boxes, a
    public count with witnesses and scans, a flagged bearer, an objection answered,
    a ballot disowned on re-verification and excluded, the final result."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from gongzhi.voting import services as paper
    from gongzhi.voting.models import Decision, Evidence
    from gongzhi.voting.services import (
        ItemSpec,
        decision_announce,
        decision_close,
        decision_create,
        decision_finalise,
        decision_open,
    )

    from ..images import tiny_png

    if Decision.objects.filter(title=PAPER_DECISION).exists():
        return
    rng = random.Random(SEED + 9)
    clerk = User.objects.get(username="clerk")
    maotai = Compound.objects.get(neighbourhood=neighbourhood, name="茅台雅苑")
    now = timezone.now().replace(microsecond=0)
    opens, closes = now - dt.timedelta(days=280), now - dt.timedelta(days=260)
    decision = decision_create(
        neighbourhood=neighbourhood,
        title=PAPER_DECISION,
        text=(
            "纺原物业托管期间服务情况已公示。经专业评审，拟与纺原物业签订正式物业服务合同，"
            "物业费标准及服务项目见公示。本次表决采用书面征询，表决票投入居委会设置的密封票箱。"
            "（演示数据，表决结果为虚构）"
        ),
        compounds=[maotai],
        items=[ItemSpec(text="是否同意与纺原物业签订物业服务合同？", matter="4")],
        opens_at=opens,
        closes_at=closes,
        actor=clerk,
        online_voting=False,
    )
    Decision.objects.filter(pk=decision.pk).update(min_witnesses=10, proxy_cap=3)
    decision = Decision.objects.get(pk=decision.pk)
    decision = decision_announce(decision=decision, actor=clerk, now=opens - dt.timedelta(days=16))
    decision = decision_open(decision=decision, actor=clerk, now=opens)

    def evidence(kind: str, caption: str):
        upload = SimpleUploadedFile(f"{caption}.png", tiny_png(caption))
        return paper.evidence_store(decision=decision, kind=kind, upload=upload, actor=clerk)

    entries = list(
        decision.register.filter(excluded=False).prefetch_related("owners").order_by("pk")
    )
    photos: dict[str, Evidence] = {}
    for n, entry in enumerate(entries):
        when = opens + dt.timedelta(days=1, minutes=n)
        building = entry.building_name
        if building not in photos:
            photos[building] = evidence("delivery", f"{maotai.name} {building} 签收单")
        owner = entry.owners.first()
        if owner is None or n % 41 == 0:
            paper.delivery_record(
                decision=decision,
                entry=entry,
                method="posted",
                delivered_at=when,
                delivered_by="居委会 李干事",
                note="无法送达，张贴于楼道公告栏",
                evidence=evidence("delivery", f"张贴 {entry.unit_number}"),
                actor=clerk,
                now=when,
            )
        elif n % 17 == 0:
            paper.delivery_record(
                decision=decision,
                entry=entry,
                method="registered_mail",
                delivered_at=when,
                delivered_by="居委会 李干事",
                mail_number=f"XA{rng.randrange(10**8):08d}CN",
                actor=clerk,
                now=when,
            )
        else:
            paper.delivery_record(
                decision=decision,
                entry=entry,
                method="hand",
                delivered_at=when,
                delivered_by="楼组长",
                recipient=owner.name,
                evidence=photos[building],
                actor=clerk,
                now=when,
            )

    boxes = []
    for label, seal in (("一号票箱", "MT-2026-001"), ("二号票箱", "MT-2026-002")):
        box = paper.box_create(decision=decision, label=label, seal_number=seal, actor=clerk)
        paper.box_event(
            box=box,
            kind="sealed",
            at=opens,
            place="茅台雅苑居委会值班室",
            present=["居委会 李干事", "业委会 监票人"],
            actor=clerk,
            now=opens,
        )
        paper.box_event(
            box=box,
            kind="moved",
            at=closes,
            place="水霞居民区党群服务站",
            present=["居委会 李干事", "街道 王科长"],
            actor=clerk,
            now=closes,
        )
        boxes.append(box)

    from gongzhi.voting.services import committee_owner_ids

    on_committee = committee_owner_ids(decision)
    witnesses = [
        o
        for e in entries
        for o in e.owners.all()
        if o.kind == "person" and o.pk not in on_committee
    ][:12]
    count_at = closes + dt.timedelta(hours=1)
    session = paper.count_start(
        decision=decision,
        place="水霞居民区党群服务站",
        scrutineers=["监票人 陈某（虚构）", "监票人 林某（虚构）"],
        counters=["计票人 吴某（虚构）", "计票人 郑某（虚构）"],
        witnesses=witnesses,
        actor=clerk,
        now=count_at,
    )
    present = session.scrutineers + session.counters
    for box in boxes:
        paper.count_open_box(session=session, box=box, present=present, actor=clerk, now=count_at)
    item = decision.items.get()
    doubtful = None
    for n, entry in enumerate(entries):
        if rng.random() > 0.8:
            continue
        owner = entry.owners.first()
        if owner is None:
            continue
        value = "agree" if rng.random() < 0.8 else rng.choice(["disagree", "abstain"])
        signature, signer, bearer = "owner", owner.name, ""
        if n % 53 == 0:
            signature, signer = "unsigned", ""
        elif 40 <= n < 45:
            bearer = "刘某（虚构）"  # one person handing in five ballots: flagged
        sheet = paper.count_enter_sheet(
            session=session,
            box=boxes[n % 2],
            entry=entry,
            choices={item.pk: value},
            signature=signature,
            signer_name=signer,
            handed_in_by=bearer,
            scan=evidence("scan", f"{maotai.name} {entry.unit_number} 表决票"),
            actor=clerk,
            now=count_at,
        )
        if bearer and doubtful is None:
            doubtful = sheet
    paper.count_close(session=session, actor=clerk, now=count_at + dt.timedelta(hours=2))
    result = decision_close(decision=decision, actor=clerk, now=count_at + dt.timedelta(hours=3))

    objector = User.objects.get(username="owner2")
    objection = paper.objection_lodge(
        decision=decision,
        user=objector,
        text="有人代收代交了多户表决票，请核实这些表决票是否为业主本人意见。（演示）",
        now=result.published_at + dt.timedelta(days=1),
    )
    if doubtful is not None:
        paper.reverification_record(
            sheet=doubtful,
            method="visit",
            outcome="disowned",
            note="上门核实：业主表示未填写表决票，由他人代为投递。（演示）",
            evidence=evidence("reverification", f"复核 {doubtful.entry.unit_number}"),
            actor=clerk,
            now=result.published_at + dt.timedelta(days=2),
        )
    paper.objection_answer(
        objection=objection,
        answer="已对刘某代交的表决票逐户上门核实，其中 1 户业主否认投票，该票已排除并重新计票。",
        actor=clerk,
        now=result.published_at + dt.timedelta(days=3),
    )
    decision_finalise(
        decision=decision, actor=clerk, now=result.published_at + dt.timedelta(days=8)
    )
