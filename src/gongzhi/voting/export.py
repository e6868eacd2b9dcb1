"""Exports: an Excel workbook for staff, and the roll and ballots files that
reproduce a result with ``gongzhi tally``. Everything is written through
``core.spreadsheet`` (no cell becomes a formula), owners appear as the register
froze them, and names only for the compounds the reader may see named."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from gongzhi.core.masking import mask_name
from gongzhi.core.spreadsheet import Workbook, csv_bytes

from .models import Ballot, BallotState, Decision, DecisionItem, RegisterOwner
from .selectors import decision_tally_json

RESULT_HEADINGS = [
    "问题 Question",
    "选项 Option",
    "小区 Compound",
    "总面积",
    "总人数",
    "参与面积",
    "参与人数",
    "同意面积",
    "同意人数",
    "不同意面积",
    "不同意人数",
    "弃权面积",
    "弃权人数",
    "意见不一人数",
    "参与达标",
    "同意达标",
    "通过",
]


def frozen_owners(decision: Decision) -> dict[int, list[tuple[str, str]]]:
    """Register entry id -> [(identifier, name)] as frozen at the announcement."""
    owners: dict[int, list[tuple[str, str]]] = {}
    for entry_id, identifier, name in (
        RegisterOwner.objects.filter(entry__decision=decision)
        .order_by("entry_id", "identifier")
        .values_list("entry_id", "identifier", "name")
    ):
        owners.setdefault(entry_id, []).append((identifier, name))
    return owners


def roll_csv(decision: Decision) -> bytes:
    """The frozen register as a roll for ``gongzhi tally`` (excluded spaces left out)."""
    owners = frozen_owners(decision)
    rows: list[list[object]] = [["compound", "building", "unit", "area", "owners", "status", "use"]]
    for entry in (
        decision.register.filter(excluded=False)
        .select_related("compound")
        .order_by("compound__name", "building_name", "unit_number")
    ):
        rows.append(
            [
                entry.compound.name,
                entry.building_name,
                entry.unit_number,
                f"{entry.area:.2f}",
                ";".join(sorted(identifier for identifier, _name in owners.get(entry.pk, []))),
                entry.status,
                entry.use,
            ]
        )
    return csv_bytes(rows, bom=False)


def ballots_csv(item: DecisionItem, *, option: str | None = None) -> bytes:
    """Effective ballots on one question, as agree/disagree/abstain.

    For a question with alternatives, ``option`` (default the first) is counted as
    agree and any other alternative or rejecting all as disagree, as the result does.
    """
    if item.options:
        option = option or "option:0"
    rows: list[list[object]] = [["compound", "building", "unit", "choice"]]
    ballots = (
        Ballot.objects.filter(item=item, state=BallotState.EFFECTIVE, entry__excluded=False)
        .select_related("entry__compound")
        .order_by("entry__compound__name", "entry__building_name", "entry__unit_number")
    )
    for ballot in ballots:
        choice = ballot.choice
        if item.options:
            choice = (
                "abstain" if choice == "abstain" else ("agree" if choice == option else "disagree")
            )
        rows.append(
            [
                ballot.entry.compound.name,
                ballot.entry.building_name,
                ballot.entry.unit_number,
                choice,
            ]
        )
    return csv_bytes(rows, bom=False)


def decision_workbook(decision: Decision, *, named: Collection[int]) -> bytes:
    """Results, register, ballots and ledger in one workbook; owners' names only for
    the compounds in ``named`` (masked for the others)."""
    workbook = Workbook()
    sheet = workbook.sheet("结果 Results")
    sheet.append(["表决事项 Decision", decision.title])
    sheet.append(["状态 Status", decision.get_status_display()])
    data = decision_tally_json(decision)
    sheet.append([])
    sheet.append(RESULT_HEADINGS)
    for item in data["items"]:
        for option in item["options"]:
            outcome = option["without_clause"]
            for group in [
                *outcome["compounds"],
                {**outcome["combined"], "compound": "合计 Combined"},
            ]:
                sheet.append(
                    [
                        f"{item['position']}. {item['text']}",
                        option["label"] or "同意",
                        group["compound"],
                        *[
                            value
                            for key in ("total", "participating", "agree", "disagree", "abstain")
                            for value in (Decimal(group[key]["area"]), group[key]["heads"])
                        ],
                        group.get("mixed", {}).get("heads", ""),
                        group["participation_met"],
                        group["approval_met"],
                        group["passed"],
                    ]
                )
    owners = frozen_owners(decision)
    register = workbook.sheet("登记册 Register")
    register.append(
        [
            "小区",
            "楼栋",
            "房号",
            "面积",
            "面积来源",
            "状态",
            "用途",
            "不计入",
            "业主编号",
            "业主姓名",
        ]
    )
    for entry in decision.register.select_related("compound").order_by(
        "compound__name", "building_name", "unit_number"
    ):
        people = owners.get(entry.pk, [])
        shown = entry.compound_id in named
        register.append(
            [
                entry.compound.name,
                entry.building_name,
                entry.unit_number,
                entry.area,
                entry.area_source,
                entry.status,
                entry.use,
                entry.excluded,
                ";".join(i if shown else "—" for i, _n in people),
                ";".join(n if shown else mask_name(n) for _i, n in people),
            ]
        )
    ballots = workbook.sheet("表决票 Ballots")
    ballots.append(
        ["小区", "房号", "问题", "选择", "渠道", "状态", "原因", "时间", "录入人", "复核"]
    )
    for ballot in (
        Ballot.objects.filter(decision=decision)
        .select_related("entry__compound", "item", "recorded_by")
        .order_by("cast_at", "id")
    ):
        ballots.append(
            [
                ballot.entry.compound.name,
                ballot.entry.unit_number,
                ballot.item.position,
                ballot.choice,
                ballot.channel,
                ballot.state,
                ballot.reason,
                ballot.cast_at,
                str(ballot.recorded_by or ""),
                ballot.confirmation,
            ]
        )
    ledger = workbook.sheet("账本 Ledger")
    ledger.append(["序号", "事件", "时间", "前一哈希", "哈希"])
    for event in decision.ledger.order_by("sequence"):
        ledger.append(
            [
                event.sequence,
                event.event,
                event.created_at,
                event.previous_hash,
                event.hash,
            ]
        )
    return workbook.bytes()
