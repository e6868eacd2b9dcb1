"""The legal tally of an owners' decision: exact, pure, standalone.

No database and no Django models: the platform's results, the participation
drive and the ``gongzhi tally`` command all call ``tally()``, so they can never
disagree. Who counts as a person comes from ``registry.headcount`` (SPC
interpretation Art. 9).

Thresholds (Civil Code Art. 278; "以上" is inclusive per Art. 1259, "过半数" is
strictly more than half):

- ``civil-code-2021:ordinary`` (matters 1-5 and 9, incl. hiring or dismissing a
  provider): participation area >= 2/3 of total AND heads >= 2/3 of total;
  approval area > 1/2 of participating AND heads > 1/2 of participating.
- ``civil-code-2021:major`` (maintenance fund, rebuilding, change of use of common
  parts): same participation; approval >= 3/4 of participating, area and heads.
- ``property-law-2007:ordinary``: no participation threshold; approval > 1/2 of the
  total, area and heads.
- ``property-law-2007:major``: approval >= 2/3 of the total, area and heads.

Counting choices: agree, disagree and abstain all participate; a ticked-unclearly
ballot arrives here as abstain. A person with several units who chose differently
on them participates but is neither for nor against in headcount: they are counted
in a ``mixed`` headcount of their own (they voted, so not as abstaining), and
agree + disagree + abstain + mixed = participating heads. Each unit's area follows
its own ballot, so ``mixed`` has no area.

Non-voter clause (从众条款, MOHURD guidance 2009 Art. 26), only where the rules of
procedure adopt it and only for units with recorded proof of delivery: a
delivered unit with no ballot counts as participating and follows the majority of
the ballots cast in its group, area with the area majority and headcount with the
headcount majority (agree versus disagree; a tie counts as abstain). The result is
always computed both without and with the clause.

Arithmetic: areas become integer hundredths of a square metre and every threshold
is compared by integer cross multiplication. No float is involved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from itertools import compress, groupby, repeat
from operator import eq
from typing import Literal

from gongzhi.registry.headcount import Holding, person_key


class Choice(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    ABSTAIN = "abstain"


# Words found on ballots and in spreadsheets, mapped to a choice.
CHOICE_WORDS: dict[str, Choice] = {
    "agree": Choice.AGREE,
    "yes": Choice.AGREE,
    "同意": Choice.AGREE,
    "赞成": Choice.AGREE,
    "disagree": Choice.DISAGREE,
    "no": Choice.DISAGREE,
    "不同意": Choice.DISAGREE,
    "反对": Choice.DISAGREE,
    "abstain": Choice.ABSTAIN,
    "弃权": Choice.ABSTAIN,
}

Scope = Literal["each", "combined"]
SCOPES: tuple[Scope, ...] = ("each", "combined")


@dataclass(frozen=True)
class Rule:
    """A threshold preset; ``article`` is what the result page cites."""

    key: str
    article: str
    participation: Fraction | None
    approval: Fraction
    approval_strict: bool  # True: more than the share; False: at least the share
    approval_base: Literal["participating", "total"]


PRESETS: dict[str, Rule] = {
    rule.key: rule
    for rule in (
        Rule(
            "civil-code-2021:ordinary",
            "Civil Code Art. 278 para. 2",
            Fraction(2, 3),
            Fraction(1, 2),
            True,
            "participating",
        ),
        Rule(
            "civil-code-2021:major",
            "Civil Code Art. 278 para. 2",
            Fraction(2, 3),
            Fraction(3, 4),
            False,
            "participating",
        ),
        Rule(
            "property-law-2007:ordinary",
            "Property Law (2007) Art. 76 para. 2",
            None,
            Fraction(1, 2),
            True,
            "total",
        ),
        Rule(
            "property-law-2007:major",
            "Property Law (2007) Art. 76 para. 2",
            None,
            Fraction(2, 3),
            False,
            "total",
        ),
    )
}


def parse_choice(text: str) -> Choice:
    """A choice from a ballot word; ValueError for anything else."""
    choice = CHOICE_WORDS.get(text.strip().lower())
    if choice is None:
        raise ValueError(text)
    return choice


@dataclass(frozen=True)
class Count:
    area: Decimal
    heads: int

    def as_json(self) -> dict[str, str | int]:
        return {"area": f"{self.area:.2f}", "heads": self.heads}


ZERO = Count(Decimal("0.00"), 0)


@dataclass(frozen=True)
class GroupResult:
    """The tally of one compound, or of all compounds combined (``compound`` None)."""

    compound: Hashable | None
    total: Count
    participating: Count
    agree: Count
    disagree: Count
    abstain: Count
    delivered_not_returned: Count
    participation_met: bool
    approval_met: bool
    # persons with several units who chose differently on them (heads only)
    mixed: Count = ZERO

    @property
    def passed(self) -> bool:
        return self.participation_met and self.approval_met


@dataclass(frozen=True)
class Outcome:
    """One way of counting: the groups and whether the decision passed."""

    compounds: list[GroupResult]
    combined: GroupResult
    passed: bool


@dataclass(frozen=True)
class TallyResult:
    rule: Rule
    scope: Scope
    outcome: Outcome
    # Computed only where the rules of procedure adopt the non-voter clause.
    with_non_voter_clause: Outcome | None = None

    @property
    def passed(self) -> bool:
        """Whether the decision passed under the rules of procedure that apply."""
        if self.with_non_voter_clause is not None:
            return self.with_non_voter_clause.passed
        return self.outcome.passed

    @property
    def clause_changes_outcome(self) -> bool:
        return (
            self.with_non_voter_clause is not None
            and self.with_non_voter_clause.passed != self.outcome.passed
        )


def meets(part: int, whole: int, share: Fraction, *, strict: bool) -> bool:
    """part > share·whole (strict) or part >= share·whole, by cross multiplication."""
    left, right = part * share.denominator, share.numerator * whole
    return left > right if strict else left >= right


def shortfall(part: int, whole: int, share: Fraction, *, strict: bool) -> int:
    """The least x >= 0 with meets(part + x, whole): what is still missing."""
    if meets(part, whole, share, strict=strict):
        return 0
    # x·q > p·whole - part·q  (strict)   or   x·q >= … (inclusive)
    gap = share.numerator * whole - part * share.denominator
    q = share.denominator
    return gap // q + 1 if strict else -(-gap // q)


def shortfall_growing(part: int, base: int, share: Fraction, *, strict: bool) -> int:
    """The least x >= 0 with meets(part + x, base + x): approval counted over
    participants, where each new agreeing ballot also raises the base."""
    if meets(part, base, share, strict=strict):
        return 0
    p, q = share.numerator, share.denominator
    if p >= q:
        raise ValueError("a share of 1 or more can never be reached by adding ballots")
    gap = p * base - part * q  # need x·(q - p) > gap (strict) or >= gap
    step = q - p
    return gap // step + 1 if strict else -(-gap // step)


def to_cents(area: Decimal) -> int:
    cents = area * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"area {area} has more than two decimal places")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2).quantize(Decimal("0.01"))


MIXED = "mixed"


class _Group:
    """Running counts of one compound."""

    __slots__ = (
        "total_cents",
        "persons",
        "area",
        "person_choice",
        "silent_cents",
        "silent_persons",
    )

    def __init__(self) -> None:
        self.total_cents = 0
        self.persons: set[Hashable] = set()
        self.area: dict[str, int] = {Choice.AGREE: 0, Choice.DISAGREE: 0, Choice.ABSTAIN: 0}
        self.person_choice: dict[Hashable, str] = {}
        self.silent_cents = 0  # delivered, not returned
        self.silent_persons: set[Hashable] = set()

    @classmethod
    def merge(cls, groups: Iterable[_Group]) -> _Group:
        """All compounds together: a person with units in several is one person."""
        whole = cls()
        for group in groups:
            whole.total_cents += group.total_cents
            whole.persons |= group.persons
            for choice, cents in group.area.items():
                whole.area[choice] += cents
            _merge_choices(whole.person_choice, group.person_choice)
            whole.silent_cents += group.silent_cents
            whole.silent_persons |= group.silent_persons
        return whole

    def heads(self) -> dict[str, int]:
        tallied = Counter(self.person_choice.values())
        return {
            Choice.AGREE: tallied[Choice.AGREE],
            Choice.DISAGREE: tallied[Choice.DISAGREE],
            Choice.ABSTAIN: tallied[Choice.ABSTAIN],
            # Mixed choices on several units: participating, neither for nor against.
            MIXED: tallied[MIXED],
        }

    def result(self, compound: Hashable | None, rule: Rule, *, clause: bool) -> GroupResult:
        silent_persons = self.silent_persons - self.person_choice.keys()
        return group_result(
            compound,
            rule,
            total_cents=self.total_cents,
            total_heads=len(self.persons),
            area=self.area,
            heads=self.heads(),
            silent_cents=self.silent_cents,
            silent_heads=len(silent_persons),
            clause=clause,
        )


def group_result(
    compound: Hashable | None,
    rule: Rule,
    *,
    total_cents: int,
    total_heads: int,
    area: Mapping[str, int],
    heads: Mapping[str, int],
    silent_cents: int = 0,
    silent_heads: int = 0,
    clause: bool = False,
) -> GroupResult:
    """A group's result from its counts: the area (hundredths of m²) under each choice,
    the persons under each choice and under ``mixed``, and those delivered a ballot
    who returned none. Where the counts come from does not matter: the accumulator
    above, or the columnar reader of ``gongzhi tally``."""
    area = {choice: area.get(choice, 0) for choice in Choice}
    heads = {**{choice: heads.get(choice, 0) for choice in Choice}, MIXED: heads.get(MIXED, 0)}
    silent = Count(from_cents(silent_cents), silent_heads)
    if clause:
        area[_majority(area)] += silent_cents
        heads[_majority(heads)] += silent_heads
    participating_cents = sum(area.values())
    participating_heads = sum(heads.values())
    participation_met = True
    if rule.participation is not None:
        participation_met = meets(
            participating_cents, total_cents, rule.participation, strict=False
        ) and meets(participating_heads, total_heads, rule.participation, strict=False)
    if rule.approval_base == "participating":
        base_cents, base_heads = participating_cents, participating_heads
    else:
        base_cents, base_heads = total_cents, total_heads
    approval_met = (
        total_heads > 0  # a group with no owners decides nothing
        and meets(area[Choice.AGREE], base_cents, rule.approval, strict=rule.approval_strict)
        and meets(heads[Choice.AGREE], base_heads, rule.approval, strict=rule.approval_strict)
    )
    return GroupResult(
        compound=compound,
        total=Count(from_cents(total_cents), total_heads),
        participating=Count(from_cents(participating_cents), participating_heads),
        agree=Count(from_cents(area[Choice.AGREE]), heads[Choice.AGREE]),
        disagree=Count(from_cents(area[Choice.DISAGREE]), heads[Choice.DISAGREE]),
        abstain=Count(from_cents(area[Choice.ABSTAIN]), heads[Choice.ABSTAIN]),
        delivered_not_returned=silent,
        participation_met=participation_met,
        approval_met=approval_met,
        mixed=Count(Decimal("0.00"), heads[MIXED]),
    )


def outcome_of(groups: Sequence[GroupResult], combined: GroupResult, scope: Scope) -> Outcome:
    """Whether the decision passed: in each compound, or all compounds combined."""
    if scope == "each":
        passed = bool(groups) and all(g.passed for g in groups)
    else:
        passed = combined.passed
    return Outcome(compounds=list(groups), combined=combined, passed=passed)


class Accumulator:
    """Counts units column by column, then applies a rule.

    ``ballots`` and ``delivered`` are keyed by compound, then by unit.
    ``add_columns`` takes parallel sequences: each unit's compound, its unit key,
    its area in hundredths of m², and the person it counts towards
    (``headcount.person_key``, or any key with the same equality). It may be called
    several times, with a compound's units spread over calls or interleaved.
    ``tally()`` is the convenient front door; the database-free command feeds a
    million-unit roll straight in.

    The work is done a compound at a time with built-in operations over slices
    (sum, set, map, compress), so that a million units take seconds, not minutes.
    """

    __slots__ = ("_ballots", "_delivered", "_groups")

    def __init__(
        self,
        ballots: Mapping[Hashable, Mapping[Hashable, Choice]],
        delivered: Mapping[Hashable, Set[Hashable]] | None = None,
    ) -> None:
        self._ballots = ballots
        self._delivered = delivered or {}
        self._groups: dict[Hashable, _Group] = {}

    def add_columns(
        self,
        compounds: Sequence[Hashable],
        units: Sequence[Hashable],
        cents: Sequence[int],
        persons: Sequence[Hashable],
    ) -> None:
        if not len(compounds) == len(units) == len(cents) == len(persons):
            raise ValueError("the columns differ in length")
        start = 0
        for compound, run in groupby(compounds):
            end = start + len(list(run))
            self._add_run(compound, units[start:end], cents[start:end], persons[start:end])
            start = end

    def _add_run(
        self,
        compound: Hashable,
        units: Sequence[Hashable],
        cents: Sequence[int],
        persons: Sequence[Hashable],
    ) -> None:
        """Units of one compound."""
        group = self._groups.get(compound)
        if group is None:
            group = self._groups[compound] = _Group()
        group.total_cents += sum(cents)
        group.persons.update(persons)
        ballots = self._ballots.get(compound)
        if not ballots:
            choices: list[Choice | None] = [None] * len(units)
        else:
            choices = list(map(ballots.get, units))
            for choice in (Choice.AGREE, Choice.DISAGREE, Choice.ABSTAIN):
                group.area[choice] += sum(compress(cents, map(eq, choices, repeat(choice))))
            # Each person's choice; a person who chose differently on two units is mixed.
            voters = list(compress(persons, choices))
            chosen: dict[Hashable, str] = dict(zip(voters, filter(None, choices), strict=True))
            if len(chosen) != len(voters):  # someone voted on several units here
                first: dict[Hashable, str] = {}
                for person, vote in zip(voters, filter(None, choices), strict=True):
                    previous = first.setdefault(person, vote)
                    if previous != vote:
                        chosen[person] = MIXED
            _merge_choices(group.person_choice, chosen)
        delivered = self._delivered.get(compound)
        if delivered:
            for unit, area, person, cast in zip(units, cents, persons, choices, strict=True):
                if cast is None and unit in delivered:
                    group.silent_cents += area
                    group.silent_persons.add(person)

    def result(
        self, rule: Rule, *, scope: Scope = "each", non_voter_clause: bool = False
    ) -> TallyResult:
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r}")
        combined = _Group.merge(self._groups.values())

        def outcome(clause: bool) -> Outcome:
            compounds = [g.result(c, rule, clause=clause) for c, g in self._groups.items()]
            return outcome_of(compounds, combined.result(None, rule, clause=clause), scope)

        return TallyResult(
            rule=rule,
            scope=scope,
            outcome=outcome(clause=False),
            with_non_voter_clause=outcome(clause=True) if non_voter_clause else None,
        )


def _merge_choices(into: dict[Hashable, str], more: Mapping[Hashable, str]) -> None:
    """Add persons' choices; a person found again with another choice is mixed."""
    if not into:
        into.update(more)
        return
    before = {person: into[person] for person in into.keys() & more.keys()}
    into.update(more)
    for person, choice in before.items():
        if choice != more[person]:
            into[person] = MIXED


def _majority(counts: Mapping[str, int]) -> str:
    agree, disagree = counts[Choice.AGREE], counts[Choice.DISAGREE]
    if agree > disagree:
        return Choice.AGREE
    if disagree > agree:
        return Choice.DISAGREE
    return Choice.ABSTAIN


def tally(
    holdings: Iterable[Holding],
    ballots: Mapping[Hashable, Choice],
    rule: Rule,
    *,
    scope: Scope = "each",
    delivered: Set[Hashable] | None = None,
    non_voter_clause: bool = False,
) -> TallyResult:
    """Tally ballots (keyed by ``Holding.unit``) over the holdings of one or more compounds.

    ``delivered`` holds the units with recorded proof of delivery; the non-voter
    clause applies only to them. ``delivered_not_returned`` is reported in both
    outcomes, separately from the votes.
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    holdings = list(holdings)
    by_compound: dict[Hashable, dict[Hashable, Choice]] = {}
    delivered_by_compound: dict[Hashable, set[Hashable]] = {}
    for h in holdings:
        choice = ballots.get(h.unit)
        if choice is not None:
            by_compound.setdefault(h.compound, {})[h.unit] = choice
        if delivered and h.unit in delivered:
            delivered_by_compound.setdefault(h.compound, set()).add(h.unit)
    accumulator = Accumulator(by_compound, delivered_by_compound)
    accumulator.add_columns(
        [h.compound for h in holdings],
        [h.unit for h in holdings],
        [to_cents(h.area) for h in holdings],
        [person_key(h) for h in holdings],
    )
    return accumulator.result(rule, scope=scope, non_voter_clause=non_voter_clause)
