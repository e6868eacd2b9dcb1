"""The fast path of ``gongzhi tally``: well-formed CSV files read column by column
with polars, and counted with its vectorised operations.

Exact as the rest: areas become integer hundredths of m² by splitting the text at
the decimal point (never through a float), and every threshold is then decided by
``tally.group_result`` in integers. Anything this path does not recognise at a
glance (an encoding other than UTF-8, blanks around a cell, a Chinese status word, a
short row, a repeated unit…) makes it step aside by returning None, and the full
validation of ``registry.roll`` and ``voting.files`` then accepts the input or names
every bad row. A hypothesis property checks that both paths count alike, on any row
order.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from gongzhi.core.tabular import OLE2_MAGIC, XLSX_MAGIC
from gongzhi.registry.roll import (
    DEVELOPER_HELD_STATUSES,
    HEADER_ALIASES,
    MAX_CELL,
    MAX_LISTED,
    STATUS_VALUES,
    USE_VALUES,
)

from .files import BALLOT_ALIASES
from .tally import CHOICE_WORDS, MIXED, Choice, Rule, Scope, TallyResult, group_result, outcome_of

# Unicode's control (Cc) and format (Cf) characters but the line ends, which the full
# validation refuses in any cell (registry.roll checks unicodedata's categories; a
# test holds this table to them).
STRANGE_RANGES = (
    (0x0, 0x9), (0xB, 0xC), (0xE, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x600, 0x605),
    (0x61C, 0x61C), (0x6DD, 0x6DD), (0x70F, 0x70F), (0x890, 0x891), (0x8E2, 0x8E2),
    (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064),
    (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip
# In Rust's regex syntax (polars), with the line ends and the tab, which a cell that
# reaches the fast path does not hold either.
STRANGE = "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in STRANGE_RANGES) + "\r\n\t]"
AREA = r"^\d{1,10}(\.\d{1,2})?$"
# The roll's words in English only (the Chinese ones send the file to the full path).
STATUSES = sorted(word for word, value in STATUS_VALUES.items() if word == value)
DEVELOPER_STATUSES = sorted(DEVELOPER_HELD_STATUSES)
USES = ["", *sorted(word for word, value in USE_VALUES.items() if word == value)]
# Separates a unit's building from its room, and marks the developer's person key:
# neither can appear in a cell that reaches here (no control characters do).
SEP = "\x1f"
DEVELOPER = "\x1edeveloper" + SEP


class StepAside(Exception):
    """The input is not plain enough for this path."""


def _frame(path: Path, aliases: dict[str, str]) -> pl.DataFrame:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StepAside from exc
    if data.startswith(XLSX_MAGIC) or data.startswith(OLE2_MAGIC):
        raise StepAside
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\r\n" in data:  # as Windows spreadsheets end lines; polars keeps the \r
        data = data.replace(b"\r\n", b"\n")
    try:  # polars refuses text that is not UTF-8: the full path reads GBK and others
        frame = pl.read_csv(
            data, infer_schema=False, empty_string_is_null=False, raise_if_empty=True
        )
    except Exception as exc:  # noqa: BLE001 - any parse problem: the full path says which
        raise StepAside from exc
    header = [aliases.get(name.strip().lower(), name.strip().lower()) for name in frame.columns]
    if len(set(header)) != len(header) or "" in header:
        raise StepAside  # a repeated or unnamed column: the full validation says which
    frame.columns = header
    if frame.height == 0:
        raise StepAside
    unusual = frame.select(
        pl.any_horizontal(
            pl.all().is_null()  # a short row
            # blanks around a cell (the full path strips them); a line end, a tab,
            # a control or invisible character inside one (the full path names it)
            | (pl.all().str.strip_chars() != pl.all())
            | pl.all().str.contains(STRANGE)
        ).any()
    ).item()
    if unusual:
        raise StepAside
    return frame


def counts(roll: Path, ballots: Path, exclude_uses: frozenset[str]) -> Counts | None:
    """The counts of a roll and its ballots, or None where this path steps aside."""
    try:
        return _counts(roll, ballots, exclude_uses)
    except StepAside:
        return None


def _counts(roll_path: Path, ballots_path: Path, exclude_uses: frozenset[str]) -> Counts:
    votes = _frame(ballots_path, BALLOT_ALIASES)
    if not {"compound", "unit", "choice"} <= set(votes.columns):
        raise StepAside
    roll = _frame(roll_path, HEADER_ALIASES)
    if not {"compound", "unit", "area", "owners"} <= set(roll.columns):
        raise StepAside
    with_building = "building" in votes.columns
    if with_building and "building" not in roll.columns:
        raise StepAside
    # A unit is known by its compound, (building,) room: one text key for joins.
    parts = ["compound", "building", "unit"] if with_building else ["compound", "unit"]
    key = pl.concat_str(parts, separator=SEP).alias("key")

    words = {word: str(choice) for word, choice in CHOICE_WORDS.items()}
    votes = votes.select(key, pl.col("choice").replace_strict(words, default=None))
    columns = set(roll.columns)
    roll = roll.with_columns(
        key,
        # an empty status is a sold unit
        (pl.col("status").replace("", "sold") if "status" in columns else pl.lit("sold")).alias(
            "status"
        ),
        (pl.col("use") if "use" in columns else pl.lit("")).alias("use"),
        (pl.col("building") if "building" in columns else pl.lit("")).alias("building"),
    )
    problems = votes.select(
        pl.col("choice").is_null().any()  # a word the fast path does not know
        | (pl.col("key").n_unique() != pl.len())  # two ballots for one unit
        | (pl.col("key").str.starts_with(SEP) | pl.col("key").str.ends_with(SEP)).any()
    ).item()
    if problems:
        raise StepAside
    problems = roll.select(
        (pl.col("compound") == "").any()
        | (pl.col("unit") == "").any()
        | (pl.col("key").n_unique() != pl.len())  # a unit twice in its compound
        | ~pl.col("area").str.contains(AREA).all()
        | ~pl.col("status").is_in(STATUSES).all()
        | ~pl.col("use").is_in(USES).all()
        | pl.col("owners").str.contains("；", literal=True).any()
        # a sold unit without an owner
        | ((pl.col("owners") == "") & ~pl.col("status").is_in(DEVELOPER_STATUSES)).any()
        # cells longer than the registry keeps: the full path names them
        | (pl.col("compound").str.len_chars() > MAX_CELL["compound"]).any()
        | (pl.col("unit").str.len_chars() > MAX_CELL["unit"]).any()
        | (pl.col("building").str.len_chars() > MAX_CELL["building"]).any()
    ).item()
    if problems:
        raise StepAside
    # The person a unit counts towards (SPC Art. 9): its owner; the same co-owners in
    # any order are one person; the developer's units naming no owner, one per compound.
    # Couples (one separator) are ordered with two string comparisons; the list
    # operations, twenty times slower, only run where three or more share a unit.
    owners = pl.col("owners")
    separators = owners.str.count_matches(";", literal=True)
    pair = owners.str.split_exact(";", 1)
    first, second = pair.struct.field("field_0"), pair.struct.field("field_1")
    roll = roll.with_columns(separators.alias("separators"))
    longest = MAX_LISTED["owners"]
    bad = roll.select(
        ((pl.col("separators") == 0) & (owners.str.len_chars() > longest)).any()
        | (
            (pl.col("separators") == 1)
            & (
                (first == "")
                | (second == "")
                | (first == second)  # a co-owner named twice
                | (first.str.len_chars() > longest)
                | (second.str.len_chars() > longest)
            )
        ).any()
    ).item()
    many = roll.filter(pl.col("separators") > 1)
    if many.height:
        names = pl.col("owners").str.split(";")
        bad = (
            bad
            or many.select(
                names.list.contains("").any()
                | (names.list.n_unique() != names.list.len()).any()
                | (names.list.eval(pl.element().str.len_chars()).list.max() > longest).any()
            ).item()
        )
    if bad:
        raise StepAside
    known = (
        pl.when(owners == "")
        .then(pl.concat_str([pl.lit(DEVELOPER), pl.col("compound")]))
        .when(pl.col("separators") == 0)
        .then(owners)
    )
    couple = (
        pl.when(first < second)
        .then(owners)
        .otherwise(pl.concat_str([second, first], separator=";"))
    )
    person: pl.Expr
    if many.height:
        person = (
            known.when(pl.col("separators") == 1)
            .then(couple)
            .otherwise(owners.str.split(";").list.sort().list.join(";"))
        )
    else:
        person = known.otherwise(couple)
    split = pl.col("area").str.split_exact(".", 1)
    cents = split.struct.field("field_0").cast(pl.Int64) * 100 + split.struct.field(
        "field_1"
    ).fill_null("").str.pad_end(2, "0").cast(pl.Int64)
    units = roll.select(
        "compound", "key", "use", cents.alias("cents"), person.alias("person")
    ).join(votes, on="key", how="left", maintain_order="left")
    matched, not_positive = units.select(
        pl.col("choice").is_not_null().sum(), (pl.col("cents") <= 0).any()
    ).row(0)
    # units are unique on both sides: a ballot left unmatched names a unit not on the
    # roll (counted before any use is left out)
    if not_positive or matched != votes.height:
        raise StepAside
    if exclude_uses:
        units = units.filter(~pl.col("use").is_in(sorted(exclude_uses)))
    units = units.drop("use")
    return Counts(units)


class Counts:
    """Each unit of the roll counted: its compound, area in hundredths of m², the
    person it counts towards, and its ballot's choice (or none)."""

    def __init__(self, units: pl.DataFrame) -> None:
        self.units = units

    def result(self, rule: Rule, *, scope: Scope = "each") -> TallyResult:
        units = self.units.lazy()
        voters = units.filter(pl.col("choice").is_not_null())
        # A person's choices in a compound: the same on every unit, or mixed.
        persons = voters.group_by("compound", "person").agg(
            pl.col("choice").min().alias("low"), pl.col("choice").max().alias("high")
        )
        one_choice = pl.when(pl.col("low") == pl.col("high")).then("low").otherwise(pl.lit(MIXED))
        order, totals, area, heads, combined_heads, everyone = pl.collect_all(
            [
                units.select(pl.col("compound").unique(maintain_order=True)),
                units.group_by("compound").agg(
                    pl.col("cents").sum(), pl.col("person").n_unique().alias("heads")
                ),
                voters.group_by("compound", "choice").agg(pl.col("cents").sum()),
                persons.group_by("compound", one_choice.alias("choice")).len(),
                # all compounds together: a person is one person, mixed if their
                # choices differ anywhere
                persons.group_by("person")
                .agg(pl.col("low").min(), pl.col("high").max())
                .group_by(one_choice.alias("choice"))
                .len(),
                units.select(pl.col("person").n_unique().alias("heads")),
            ]
        )
        total_of = {compound: (cents, n) for compound, cents, n in totals.iter_rows()}
        area_of: dict[str, dict[str, int]] = {}
        for compound, choice, cents in area.iter_rows():
            area_of.setdefault(compound, {})[choice] = cents
        heads_of: dict[str, dict[str, int]] = {}
        for compound, choice, count in heads.iter_rows():
            heads_of.setdefault(compound, {})[choice] = count
        groups = [
            group_result(
                compound,
                rule,
                total_cents=total_of[compound][0],
                total_heads=total_of[compound][1],
                area=area_of.get(compound, {}),
                heads=heads_of.get(compound, {}),
            )
            for compound in order.to_series()
        ]
        combined_area = {str(choice): 0 for choice in Choice}
        for by_choice in area_of.values():
            for choice, cents in by_choice.items():
                combined_area[choice] += cents
        combined = group_result(
            None,
            rule,
            total_cents=sum(cents for cents, _heads in total_of.values()),
            total_heads=everyone.item() if self.units.height else 0,
            area=combined_area,
            heads=dict(combined_heads.iter_rows()),
        )
        return TallyResult(rule=rule, scope=scope, outcome=outcome_of(groups, combined, scope))
