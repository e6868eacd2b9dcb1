"""The command's fast CSV path and the full validation path count alike."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongzhi.voting import cli_tally
from gongzhi.voting.files import read_ballots, read_roll
from gongzhi.voting.tally import PRESETS, tally


def full_path(roll, ballots, rule, scope, exclude=frozenset()):
    parsed = read_roll(roll, exclude_uses=exclude)
    return tally(parsed.holdings, read_ballots(ballots, parsed), PRESETS[rule], scope=scope)


def write_files(folder, seed, *, couples_unsorted=True, with_use=True):
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
            roll.append(
                f"{compound},,{unit},{area},{owners},{status}" + (f",{use}" if with_use else "")
            )
            if rng.random() < 0.7:
                word = rng.choice(["agree", "disagree", "abstain", "同意", "反对", "弃权"])
                votes.append(f"{compound},{unit},{word}")
    roll_path, ballots_path = folder / f"roll{seed}.csv", folder / f"ballots{seed}.csv"
    roll_path.write_text("\n".join(roll) + "\n", encoding="utf-8")
    ballots_path.write_text("\n".join(votes) + "\n", encoding="utf-8")
    return roll_path, ballots_path


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    rule=st.sampled_from(sorted(PRESETS)),
    scope=st.sampled_from(["each", "combined"]),
    exclude=st.sampled_from([frozenset(), frozenset({"parking"})]),
)
def test_fast_and_full_paths_agree(tmp_path_factory, seed, rule, scope, exclude):
    folder = tmp_path_factory.mktemp("paths")
    roll, ballots = write_files(folder, seed)
    assert cli_tally._fast(roll, ballots, exclude) is not None  # the fast path was taken
    fast = cli_tally.compute(roll, ballots, rule, scope, exclude)
    full = full_path(roll, ballots, rule, scope, exclude)
    assert cli_tally.result_json(fast) == cli_tally.result_json(full)


@pytest.mark.parametrize(
    ("roll", "why"),
    [
        ("compound,unit,area,owners\nA, 1,60,O1\n", "blank around a cell"),
        ("compound,unit,area,owners,status\nA,1,60,O1,已售\n", "Chinese status word"),
        ("compound,unit,area,owners\nA,1,60,O1；O2\n", "full-width separator"),
        ("compound,unit,area,owners\nA,1,60,O1\nB,1,60,O2\nA,2,60,O3\n", "compound rows apart"),
        ('compound,unit,area,owners\n"A",1,60,O1\nA,2,6O,O3\n', "bad area"),
    ],
)
def test_unusual_input_takes_the_full_path_and_still_counts(tmp_path, roll, why):
    roll_path = tmp_path / "roll.csv"
    roll_path.write_text(roll, encoding="utf-8")
    ballots_path = tmp_path / "ballots.csv"
    ballots_path.write_text("compound,unit,choice\nA,1,agree\n", encoding="utf-8")
    assert cli_tally._fast(roll_path, ballots_path, frozenset()) is None, why
    if why == "bad area":
        with pytest.raises(Exception, match="roll.csv"):
            cli_tally.compute(
                roll_path, ballots_path, "civil-code-2021:ordinary", "each", frozenset()
            )
    else:
        result = cli_tally.compute(
            roll_path, ballots_path, "civil-code-2021:ordinary", "each", frozenset()
        )
        assert result.outcome.combined.agree.heads == 1
