"""``gongzhi tally``: tally paper ballots from spreadsheets, without a database.

Runs without Django (``gongzhi.cli`` dispatches here before Django starts), so a
committee's laptop answers in a second. CSV files take the columnar fast path
(``voting.columnar``, polars), in any row order; anything that path does not
recognise at a glance (an XLSX file, a Chinese status word, a suspicious cell…)
sends the whole input through the full validation of ``registry.roll`` and
``voting.files``, which either accepts it or names every bad row. Both paths decide
through ``tally.group_result``; a hypothesis property checks they agree.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from gongzhi.core.i18n import translator

from .files import TallyInputError, read_ballots, read_roll
from .tally import (
    PRESETS,
    SCOPES,
    GroupResult,
    TallyResult,
    tally,
)


def compute(
    roll: Path, ballots: Path, rule: str, scope: str, exclude_uses: frozenset[str]
) -> TallyResult:
    """The tally of a roll and a ballots file; TallyInputError on bad input."""
    from .columnar import counts  # polars loads only when a tally is asked for

    fast = counts(roll, ballots, exclude_uses)
    if fast is not None:
        return fast.result(PRESETS[rule], scope=scope)  # type: ignore[arg-type]
    full_roll = read_roll(roll, exclude_uses=exclude_uses)
    votes = read_ballots(ballots, full_roll)
    return tally(full_roll.holdings, votes, PRESETS[rule], scope=scope)  # type: ignore[arg-type]


# --- output ---------------------------------------------------------------


def group_json(group: GroupResult, *, with_compound: bool) -> dict[str, object]:
    data: dict[str, object] = {"compound": group.compound} if with_compound else {}
    for name in ("total", "participating", "agree", "disagree", "abstain"):
        data[name] = getattr(group, name).as_json()
    data["mixed"] = {"heads": group.mixed.heads}
    data["participation_met"] = group.participation_met
    data["approval_met"] = group.approval_met
    data["passed"] = group.passed
    return data


def result_json(result: TallyResult) -> dict[str, object]:
    outcome = result.outcome
    return {
        "rule": result.rule.key,
        "scope": result.scope,
        "passed": outcome.passed,
        "compounds": [group_json(g, with_compound=True) for g in outcome.compounds],
        "combined": group_json(outcome.combined, with_compound=False),
    }


HEADINGS = [
    "小区 Compound",
    "总面积 Total m²",
    "总人数 Heads",
    "参与面积 Part. m²",
    "参与人数 Part.",
    "同意面积 Agree m²",
    "同意人数 Agree",
    "不同意 Disagree m²/heads",
    "弃权 Abstain m²/heads",
    "意见不一 Mixed heads",
    "参与达标 Part. met",
    "同意达标 Approval met",
    "通过 Passed",
]


def _yes_no(value: bool) -> str:
    return "是 yes" if value else "否 no"


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def result_table(result: TallyResult) -> str:
    rows = []
    for group in [*result.outcome.compounds, result.outcome.combined]:
        rows.append(
            [
                str(group.compound) if group.compound is not None else "合计 Combined",
                f"{group.total.area:,.2f}",
                str(group.total.heads),
                f"{group.participating.area:,.2f}",
                str(group.participating.heads),
                f"{group.agree.area:,.2f}",
                str(group.agree.heads),
                f"{group.disagree.area:,.2f} / {group.disagree.heads}",
                f"{group.abstain.area:,.2f} / {group.abstain.heads}",
                str(group.mixed.heads),
                _yes_no(group.participation_met),
                _yes_no(group.approval_met),
                _yes_no(group.passed),
            ]
        )
    widths = [max(_width(cell) for cell in column) for column in zip(HEADINGS, *rows, strict=True)]
    lines = [
        "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)) for row in [HEADINGS, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    verdict = "通过 PASSED" if result.outcome.passed else "未通过 NOT PASSED"
    lines += ["", f"{result.rule.key} ({result.rule.article}), scope {result.scope}: {verdict}"]
    return "\n".join(line.rstrip() for line in lines)


# --- command line ---------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongzhi tally",
        description=(
            "Tally an owners' decision from a roll and a ballots file (CSV in UTF-8 or GBK, "
            "or XLSX) by the legal double majority of area and headcount. Needs no database. "
            "Exit 0 when the tally was computed, passed or not; exit 2 on bad input."
        ),
    )
    parser.add_argument(
        "--roll",
        required=True,
        type=Path,
        help="compound, building (optional), unit, area, owners, status",
    )
    parser.add_argument(
        "--ballots", required=True, type=Path, help="compound, building (optional), unit, choice"
    )
    parser.add_argument("--rule", required=True, choices=sorted(PRESETS))
    parser.add_argument("--scope", default="each", choices=SCOPES)
    parser.add_argument("--format", default="table", choices=["json", "table"])
    parser.add_argument(
        "--exclude-use",
        action="append",
        default=[],
        choices=["residential", "commercial", "parking"],
        help="space types the rules of procedure exclude from area and headcount",
    )
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    out: Callable[[str], object] | None = None,
    err: Callable[[str], object] | None = None,
) -> int:
    out = out or (lambda text: print(text))
    err = err or (lambda text: print(text, file=sys.stderr))
    args = build_parser().parse_args(argv)
    # Millions of small lists and tuples, none of them cyclic: the cyclic garbage
    # collector would only rescan them again and again (it doubles the time).
    gc.disable()
    try:
        result = compute(
            args.roll, args.ballots, args.rule, args.scope, frozenset(args.exclude_use)
        )
    except TallyInputError as exc:
        for line in exc.lines(translator()):
            err(line)
        return 2
    finally:
        gc.enable()
    if args.format == "json":
        out(json.dumps(result_json(result), ensure_ascii=False))
    else:
        out(result_table(result))
    return 0
