"""The command's fast CSV path and the full validation path count alike."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongzhi.voting import cli_tally, columnar
from gongzhi.voting.files import TallyInputError, read_ballots, read_roll
from gongzhi.voting.tally import PRESETS, tally


def full_path(roll, ballots, rule, scope, exclude=frozenset()):
    parsed = read_roll(roll, exclude_uses=exclude)
    return tally(parsed.holdings, read_ballots(ballots, parsed), PRESETS[rule], scope=scope)


def write_files(
    folder,
    seed,
    *,
    couples_unsorted=True,
    with_use=True,
    quoted=False,
    crlf=False,
    shuffled=False,
):
    """``quoted`` puts some compound names in quotes; ``crlf`` ends lines as Windows
    spreadsheets export them; ``shuffled`` puts the rows of both files in any order
    (a roll sorted by owner, two exports one after the other)."""
    rng = random.Random(seed)
    roll = ["compound,building,unit,area,owners,status" + (",use" if with_use else "")]
    votes = ["compound,unit,choice"]
    owners_pool = [f"O{n}" for n in range(40)]
    for compound in ["甲", "乙", "丙"]:
        for n in range(rng.randint(1, 25)):
            unit = f"{n // 4 + 1}-{n % 4 + 101}"
            area = rng.choice(["60", "60.5", "75.25", "0.01", "120.10"])
            kind = rng.random()
            if kind < 0.1:
                owners, status = "", rng.choice(["unsold", "undelivered"])
            elif kind < 0.4:
                pair = rng.sample(owners_pool, 2)
                owners = ";".join(pair if couples_unsorted else sorted(pair))
                status = "sold"
            else:
                owners, status = rng.choice(owners_pool), rng.choice(["sold", ""])
            use = rng.choice(["residential", "parking", ""])
            name = f'"{compound}"' if quoted and rng.random() < 0.5 else compound
            roll.append(
                f"{name},,{unit},{area},{owners},{status}" + (f",{use}" if with_use else "")
            )
            if rng.random() < 0.7:
                word = rng.choice(["agree", "disagree", "abstain", "同意", "反对", "弃权"])
                votes.append(f"{compound},{unit},{word}")
    if shuffled:
        roll[1:] = rng.sample(roll[1:], len(roll) - 1)
        votes[1:] = rng.sample(votes[1:], len(votes) - 1)
    roll_path, ballots_path = folder / f"roll{seed}.csv", folder / f"ballots{seed}.csv"
    end = "\r\n" if crlf else "\n"
    roll_path.write_bytes((end.join(roll) + end).encode())
    ballots_path.write_bytes((end.join(votes) + end).encode())
    return roll_path, ballots_path


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    rule=st.sampled_from(sorted(PRESETS)),
    scope=st.sampled_from(["each", "combined"]),
    exclude=st.sampled_from([frozenset(), frozenset({"parking"})]),
    quoted=st.booleans(),
    crlf=st.booleans(),
    shuffled=st.booleans(),
    with_use=st.booleans(),
)
def test_fast_and_full_paths_agree(
    tmp_path_factory, seed, rule, scope, exclude, quoted, crlf, shuffled, with_use
):
    """On any row order and with or without the optional use column."""
    folder = tmp_path_factory.mktemp("paths")
    roll, ballots = write_files(
        folder, seed, quoted=quoted, crlf=crlf, shuffled=shuffled, with_use=with_use
    )
    assert columnar.counts(roll, ballots, exclude) is not None  # the fast path was taken
    fast = cli_tally.compute(roll, ballots, rule, scope, exclude)
    full = full_path(roll, ballots, rule, scope, exclude)
    assert cli_tally.result_json(fast) == cli_tally.result_json(full)


@pytest.mark.parametrize(
    ("roll", "why", "counts"),
    [
        ("compound,unit,area,owners\nA, 1,60,O1\n", "blank around a cell", True),
        ("compound,unit,area,owners,status\nA,1,60,O1,已售\n", "Chinese status word", True),
        ("compound,unit,area,owners\nA,1,60,O1；O2\n", "full-width separator", True),
        ("compound,unit,area,owners\nA,1,60,O1,x\n", "a row with an extra cell", True),
        ('compound,unit,area,owners\n"A",1,60,O1\nA,2,6O,O3\n', "bad area", False),
        ("compound,unit,area,owners\nA,1,60,O1;;O2\n", "empty co-owner name", False),
        ("compound,unit,area,owners\nA,1,60,O1;\n", "trailing separator", False),
        ("compound,unit,area,owners\nA,1,60,O1;O1\n", "co-owner named twice", False),
        ("compound,unit,area,owners\nA,1,60,O1\u200b\n", "an invisible character", False),
        ("compound,unit,area,owners\nA,1,60,O1\x00\n", "a NUL character", False),
        ("compound,unit,area,owners\nA,1,60\n", "a short row", False),
        ("compound,unit,area,owners\n" + "长" * 101 + ",1,60,O1\n", "a name too long", False),
        ("compound,unit,area,owners\nA,1,60,O1\n\nA,2,60,O2\n", "a blank line", True),
        ("compound,unit,area,owners,status\nA,1,60,O1,sold\nA,2,60,,sold\n", "no owner", False),
    ],
)
def test_unusual_input_takes_the_full_path(tmp_path, roll, why, counts):
    """The fast path steps aside; the full validation counts the input or refuses it
    naming the file."""
    roll_path = tmp_path / "roll.csv"
    roll_path.write_bytes(roll.encode())
    ballots_path = tmp_path / "ballots.csv"
    ballots_path.write_text("compound,unit,choice\nA,1,agree\n", encoding="utf-8")
    assert columnar.counts(roll_path, ballots_path, frozenset()) is None, why
    if not counts:
        with pytest.raises(TallyInputError, match="roll.csv"):
            cli_tally.compute(
                roll_path, ballots_path, "civil-code-2021:ordinary", "each", frozenset()
            )
    else:
        result = cli_tally.compute(
            roll_path, ballots_path, "civil-code-2021:ordinary", "each", frozenset()
        )
        assert result.outcome.combined.agree.heads == 1


def test_windows_line_ends_take_the_fast_path(tmp_path):
    roll_path, ballots_path = write_files(tmp_path, 7, crlf=True)
    assert b"\r\n" in roll_path.read_bytes()
    assert columnar.counts(roll_path, ballots_path, frozenset()) is not None


def test_a_compound_whose_rows_stand_apart_keeps_the_fast_path(tmp_path):
    """The review measured 47x a bare pass when a compound's rows were not together:
    the fast path stepped aside. It now gathers them, and counts alike."""
    roll_path = tmp_path / "roll.csv"
    roll_path.write_text(
        "compound,unit,area,owners\nA,1,60,O1\nB,1,60,O2\nA,2,60,O3\nB,2,50,O1\n",
        encoding="utf-8",
    )
    ballots_path = tmp_path / "ballots.csv"
    ballots_path.write_text(
        "compound,unit,choice\nB,2,disagree\nA,1,agree\nB,1,agree\nA,2,agree\n",
        encoding="utf-8",
    )
    assert columnar.counts(roll_path, ballots_path, frozenset()) is not None
    fast = cli_tally.compute(
        roll_path, ballots_path, "civil-code-2021:ordinary", "each", frozenset()
    )
    full = full_path(roll_path, ballots_path, "civil-code-2021:ordinary", "each")
    assert cli_tally.result_json(fast) == cli_tally.result_json(full)
    groups = {g.compound: g for g in fast.outcome.compounds}
    assert (groups["A"].agree.heads, groups["B"].disagree.heads) == (2, 1)
    # O1 agreed in A and disagreed in B: one mixed person when counted together
    combined = cli_tally.compute(
        roll_path, ballots_path, "civil-code-2021:ordinary", "combined", frozenset()
    )
    assert combined.outcome.combined.mixed.heads == 1


@pytest.mark.parametrize(
    "owners",
    [
        ("O1;O2;O3", "O3;O1;O2", "O2;O1"),  # three co-owners in any order are one person
        ("O1;O2", "O2;O1", "O2"),  # a couple in either order is one person
    ],
)
def test_co_owners_in_any_order_are_one_person_on_both_paths(tmp_path, owners):
    roll_path = tmp_path / "roll.csv"
    roll_path.write_text(
        "compound,unit,area,owners\n"
        + "".join(f'A,{n},60,"{o}"\n' for n, o in enumerate(owners, start=1)),
        encoding="utf-8",
    )
    ballots_path = tmp_path / "ballots.csv"
    ballots_path.write_text("compound,unit,choice\nA,1,agree\nA,2,agree\nA,3,disagree\n")
    assert columnar.counts(roll_path, ballots_path, frozenset()) is not None
    fast = cli_tally.compute(
        roll_path, ballots_path, "civil-code-2021:ordinary", "each", frozenset()
    )
    full = full_path(roll_path, ballots_path, "civil-code-2021:ordinary", "each")
    assert cli_tally.result_json(fast) == cli_tally.result_json(full)
    group = fast.outcome.compounds[0]
    assert (group.total.heads, group.agree.heads, group.disagree.heads) == (2, 1, 1)


def test_a_file_in_gbk_takes_the_full_path_and_is_counted(tmp_path):
    """Excel on a Chinese Windows saves CSV in GBK: polars reads only UTF-8, so the fast
    path steps aside and the full path decodes it."""
    roll_path, ballots_path = tmp_path / "roll.csv", tmp_path / "ballots.csv"
    roll_path.write_bytes("compound,unit,area,owners\n甲,1,60,O1\n甲,2,40,O2\n".encode("gbk"))
    ballots_path.write_bytes("compound,unit,choice\n甲,1,同意\n".encode("gbk"))
    assert columnar.counts(roll_path, ballots_path, frozenset()) is None
    result = cli_tally.compute(
        roll_path, ballots_path, "civil-code-2021:ordinary", "each", frozenset()
    )
    [group] = result.outcome.compounds
    assert (group.compound, group.agree.heads, group.total.heads) == ("甲", 1, 2)


def test_the_fast_paths_strange_characters_are_unicodes_control_and_format_ones():
    """The fast path refuses by a table what the full validation refuses by category."""
    import sys
    import unicodedata

    table = {ch for a, b in columnar.STRANGE_RANGES for ch in range(a, b + 1)}
    categories = {
        ch
        for ch in range(sys.maxunicode + 1)
        if unicodedata.category(chr(ch)) in ("Cc", "Cf") and chr(ch) not in "\r\n"
    }
    assert table == categories
