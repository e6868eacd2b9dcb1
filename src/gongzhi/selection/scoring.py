"""Scoring bids: the evaluation panel's scores, aggregated, and "quality sets price"
(以质论价、质价相符). Pure: no database; exact arithmetic with Fractions.

Criteria are judged by the members (0 to the criterion's maximum) except the price
criterion, which is computed:

    quality            Q  = sum of the aggregated judged scores (0 … Qmax)
    fee per quality       = fee (yuan per m² per month) ÷ (Q ÷ Qmax)
    price points          = price maximum × lowest fee-per-quality ÷ this bid's fee-per-quality

So a cheap bid that promises little service gets few price points, and a dearer bid
that promises proportionally more is not punished for its price. A bid with no
quality at all gets no price points. Total = Q + price points.

Aggregate per criterion: ``mean`` (plain mean of all members), or ``trimmed``
(drop one highest and one lowest score, then the mean; common local practice, not
law). Trimming needs at least three scores; with fewer, the plain mean is used.

Ranking: by total, then quality, then the lower fee; bids equal on all three
share a rank. At most three candidates are ranked (实施条例 Art. 53); a tie across
third place is reported so the panel resolves it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from gongzhi.core.i18n import gettext_noop

Method = Literal["mean", "trimmed"]
METHODS: tuple[Method, ...] = ("mean", "trimmed")
MAX_CANDIDATES = 3

OUT_OF_RANGE = gettext_noop("%(criterion)s: %(value)s is outside 0 to %(max)s")
NOT_NUMBER = gettext_noop("%(criterion)s: “%(value)s” is not a number")
TOO_PRECISE = gettext_noop("%(criterion)s: at most one decimal place")

# The formula above, for the results page and the evaluation report.
FORMULA = gettext_noop(
    "Quality sets price (以质论价、质价相符): the quality score Q is the sum of the "
    "aggregated scores of the judged criteria (all but price); fee per quality = fee per "
    "m² per month ÷ (Q ÷ maximum quality); price points = price maximum × the lowest fee "
    "per quality ÷ this bid's fee per quality; total = Q + price points. Aggregate per "
    "criterion: drop one highest and one lowest score, then the mean (the plain mean "
    "with fewer than three scores), or the plain mean."
)


class ScoreError(ValueError):
    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params)

    def text(self, translate: Callable[[str], str] = str) -> str:
        return translate(self.template) % self.params


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    max_score: Decimal
    price: bool = False  # computed by the price formula, not judged


DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion("plan", gettext_noop("management plan"), Decimal(25)),
    Criterion("staffing", gettext_noop("staffing"), Decimal(20)),
    Criterion("standards", gettext_noop("service standards and response times"), Decimal(20)),
    Criterion("record", gettext_noop("track record"), Decimal(15)),
    Criterion("price", gettext_noop("fee reasonableness (quality sets price)"), Decimal(20), True),
)


def parse_score(raw: str | Decimal, criterion: Criterion) -> Decimal:
    """A judged score in range with at most one decimal; ScoreError otherwise."""
    try:
        value = Decimal(str(raw).strip())
    except ArithmeticError:
        raise ScoreError(NOT_NUMBER, criterion=criterion.label, value=raw) from None
    if not value.is_finite():
        raise ScoreError(NOT_NUMBER, criterion=criterion.label, value=raw)
    if value != value.quantize(Decimal("0.1")):
        raise ScoreError(TOO_PRECISE, criterion=criterion.label)
    if value < 0 or value > criterion.max_score:
        raise ScoreError(
            OUT_OF_RANGE, criterion=criterion.label, value=value, max=criterion.max_score
        )
    return value


def aggregate(values: Sequence[Decimal], method: Method) -> Fraction:
    if not values:
        return Fraction(0)
    ordered = sorted(Fraction(v) for v in values)
    if method == "trimmed" and len(ordered) >= 3:
        ordered = ordered[1:-1]
    elif method not in METHODS:
        raise ValueError(f"unknown aggregate {method!r}")
    return sum(ordered, Fraction(0)) / len(ordered)


@dataclass(frozen=True)
class BidResult:
    key: Hashable
    name: str
    fee: Decimal
    criteria: dict[str, Fraction]
    quality: Fraction
    price_points: Fraction
    total: Fraction
    rank: int = 0
    candidate: bool = False


@dataclass(frozen=True)
class Evaluation:
    method: Method
    results: list[BidResult]
    tie_at_cut: bool  # more than three bids would share the top three places


def evaluate(
    criteria: Sequence[Criterion],
    bids: Sequence[tuple[Hashable, str, Decimal]],
    scores: Mapping[Hashable, Mapping[Hashable, Mapping[str, Decimal]]],
    method: Method = "mean",
) -> Evaluation:
    """Aggregate ``scores[member][bid][criterion]`` and rank the bids.

    ``bids`` are (key, name, fee per m² per month). Every member's scores count;
    members who scored nothing are not part of ``scores``.
    """
    judged = [c for c in criteria if not c.price]
    price = [c for c in criteria if c.price]
    if len(price) > 1:
        raise ValueError("at most one price criterion")
    quality_max = sum((Fraction(c.max_score) for c in judged), Fraction(0))
    partial = []
    for key, name, fee in bids:
        aggregated = {
            c.key: aggregate(
                [scores[m][key][c.key] for m in scores if c.key in scores[m].get(key, {})], method
            )
            for c in judged
        }
        quality = sum(aggregated.values(), Fraction(0))
        partial.append((key, name, Decimal(fee), aggregated, quality))

    def fee_per_quality(fee: Decimal, quality: Fraction) -> Fraction | None:
        if quality <= 0 or quality_max == 0:
            return None
        return Fraction(fee) / (quality / quality_max)

    ratios = [fee_per_quality(fee, quality) for _k, _n, fee, _a, quality in partial]
    usable = [r for r in ratios if r is not None]
    best = min(usable) if usable else None
    results = []
    for (key, name, fee, aggregated, quality), ratio in zip(partial, ratios, strict=True):
        points = Fraction(0)
        if price and ratio is not None and best is not None:
            points = Fraction(price[0].max_score) * (best / ratio if ratio else 1)
        if price:
            aggregated = {**aggregated, price[0].key: points}
        results.append(BidResult(key, name, fee, aggregated, quality, points, quality + points))
    return _rank(results, method)


def _rank(results: list[BidResult], method: Method) -> Evaluation:
    def order(r: BidResult) -> tuple[Fraction, Fraction, Decimal]:
        return (-r.total, -r.quality, r.fee)

    ordered = sorted(results, key=lambda r: (order(r), r.name))
    ranked: list[BidResult] = []
    for position, result in enumerate(ordered, start=1):
        if ranked and order(ranked[-1]) == order(result):
            rank = ranked[-1].rank  # equal on total, quality and fee: the same rank
        else:
            rank = position
        ranked.append(
            BidResult(**{**result.__dict__, "rank": rank, "candidate": rank <= MAX_CANDIDATES})
        )
    candidates = [r for r in ranked if r.candidate]
    return Evaluation(method=method, results=ranked, tie_at_cut=len(candidates) > MAX_CANDIDATES)


PanelProblem = str
ODD = gettext_noop("the panel has an even number of members (%(count)d); it must be odd")
TOO_FEW = gettext_noop("the panel has %(count)d members; it needs at least %(minimum)d")
FEW_EXPERTS = gettext_noop(
    "%(experts)d of %(count)d members are experts; at least two thirds must be"
)
UNDECLARED = gettext_noop("%(names)s have not declared that they have no conflict of interest")


def panel_problems(
    members: Sequence[tuple[str, bool, bool]], *, minimum: int = 5
) -> list[tuple[str, dict[str, object]]]:
    """What keeps a panel from scoring (招标投标法 Art. 37 for a tender, so at least
    five; another scheme may set its own ``minimum``): members are
    (name, is_expert, declared_no_conflict)."""
    count = len(members)
    experts = sum(1 for _name, expert, _declared in members if expert)
    problems: list[tuple[str, dict[str, object]]] = []
    if count < minimum:
        problems.append((TOO_FEW, {"count": count, "minimum": minimum}))
    if count % 2 == 0:
        problems.append((ODD, {"count": count}))
    if experts * 3 < count * 2:  # at least two thirds, by cross multiplication
        problems.append((FEW_EXPERTS, {"experts": experts, "count": count}))
    undeclared = [name for name, _expert, declared in members if not declared]
    if undeclared:
        problems.append((UNDECLARED, {"names": "、".join(undeclared)}))
    return problems
