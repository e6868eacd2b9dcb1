"""`gongzhi tally`: a database-free command for committees counting paper ballots."""

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROLL = Path(__file__).resolve().parents[2] / "registry" / "tests" / "data" / "example-roll.csv"
BALLOTS = Path(__file__).parent / "data" / "example-ballots.csv"


def run(*args, env=None):
    """Run the real console command in a subprocess: no test database exists for it."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "gongzhi"), "tally", *args],
        capture_output=True,
        text=True,
        check=False,
        env={
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
            "PATH": "/usr/bin:/bin",
            **(env or {}),
        },
    )


def test_json_output_is_exactly_the_documented_shape():
    # The DATABASE_URL points nowhere: the command must not touch a database.
    done = run(
        "--roll",
        str(ROLL),
        "--ballots",
        str(BALLOTS),
        "--rule",
        "civil-code-2021:ordinary",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    totals = {
        "total": {"area": "377.24", "heads": 4},
        "participating": {"area": "227.04", "heads": 3},
        "agree": {"area": "137.04", "heads": 2},
        "disagree": {"area": "0.00", "heads": 0},
        "abstain": {"area": "90.00", "heads": 1},
        "mixed": {"heads": 0},
        "participation_met": False,
        "approval_met": True,
        "passed": False,
    }
    assert json.loads(done.stdout) == {
        "rule": "civil-code-2021:ordinary",
        "scope": "each",
        "passed": False,
        "compounds": [{"compound": "示例小区", **totals}],
        "combined": totals,
    }
    assert list(json.loads(done.stdout)) == ["rule", "scope", "passed", "compounds", "combined"]


def test_table_output_is_readable_in_both_languages():
    done = run(
        "--roll", str(ROLL), "--ballots", str(BALLOTS), "--rule", "property-law-2007:ordinary"
    )
    assert done.returncode == 0
    assert "小区 Compound" in done.stdout and "示例小区" in done.stdout
    assert "377.24" in done.stdout
    assert "未通过 NOT PASSED" in done.stdout


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return str(path)


@pytest.mark.parametrize(
    ("ballots", "message"),
    [
        (
            "compound,unit,choice\n示例小区,9-999,同意\n",
            "row 2, column unit “9-999”: unit 9-999 of 示例小区 is not on the roll",
        ),
        (
            "compound,unit,choice\n示例小区,1-101,同意\n示例小区,1-101,反对\n",
            "row 3, column unit “1-101”: a second ballot for this unit (first on row 2)",
        ),
        (
            "compound,unit,choice\n示例小区,1-101,maybe\n",
            "row 2, column choice “maybe”: unknown choice",
        ),
        ("compound,unit\n示例小区,1-101\n", "column choice: required column is missing"),
    ],
)
def test_bad_ballots_exit_2_naming_file_row_unit_and_value(tmp_path, ballots, message):
    done = run(
        "--roll",
        str(ROLL),
        "--ballots",
        write(tmp_path / "b.csv", ballots),
        "--rule",
        "civil-code-2021:ordinary",
        env={"GONGZHI_LANGUAGE": "en"},
    )
    assert done.returncode == 2
    assert "b.csv" in done.stderr and message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("roll", "message"),
    [
        (
            "compound,unit,area,owners\nA,1,-2,O-1\n",
            "row 2, column area “-2”: the area must be greater than zero",
        ),
        (
            "compound,unit,area,owners\nA,1,abc,O-1\n",
            "row 2, column area “abc”: the area is not a number",
        ),
        ("compound,unit,owners\nA,1,O-1\n", "column area: required column is missing"),
    ],
)
def test_bad_roll_exits_2(tmp_path, roll, message):
    done = run(
        "--roll",
        write(tmp_path / "r.csv", roll),
        "--ballots",
        str(BALLOTS),
        "--rule",
        "civil-code-2021:ordinary",
        env={"GONGZHI_LANGUAGE": "en"},
    )
    assert done.returncode == 2
    assert "r.csv" in done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_gbk_and_xlsx_inputs(tmp_path):
    roll = write(tmp_path / "roll.csv", ROLL.read_text(encoding="utf-8"), encoding="gbk")
    workbook = openpyxl.Workbook()
    workbook.active.append(["小区", "房号", "表决意见"])
    workbook.active.append(["示例小区", "1-101", "同意"])
    workbook.active.append(["示例小区", "1-102", "赞成"])
    workbook.active.append(["示例小区", "2-101", "弃权"])
    workbook.save(tmp_path / "ballots.xlsx")
    done = run(
        "--roll",
        roll,
        "--ballots",
        str(tmp_path / "ballots.xlsx"),
        "--rule",
        "civil-code-2021:ordinary",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["combined"]["agree"] == {"area": "137.04", "heads": 2}


def test_combined_scope_and_excluded_parking(tmp_path):
    roll = write(
        tmp_path / "roll.csv",
        "compound,unit,area,owners,use\nA,1,60,p,residential\nA,P1,12,q,parking\nB,1,50,r,residential\n",
    )
    ballots = write(tmp_path / "b.csv", "compound,unit,choice\nA,1,agree\nB,1,agree\n")
    done = run(
        "--roll",
        roll,
        "--ballots",
        ballots,
        "--rule",
        "civil-code-2021:ordinary",
        "--scope",
        "combined",
        "--exclude-use",
        "parking",
        "--format",
        "json",
    )
    data = json.loads(done.stdout)
    assert data["scope"] == "combined"
    assert data["combined"]["total"] == {"area": "110.00", "heads": 2}
    assert data["passed"] is True


def test_messages_are_chinese_by_default(tmp_path):
    ballots = write(tmp_path / "b.csv", "compound,unit,choice\n示例小区,9-999,同意\n")
    done = run("--roll", str(ROLL), "--ballots", ballots, "--rule", "civil-code-2021:ordinary")
    assert done.returncode == 2
    assert (
        done.stderr.strip() == "b.csv: 第 2 行，unit 列 “9-999”：示例小区的 9-999 号房屋不在清册中"
    )


PER_BUILDING_ROLL = (
    "compound,building,unit,area,owners\n"
    "甲小区,1号楼,101,60.00,A\n"
    "甲小区,2号楼,101,80.00,B\n"
    "甲小区,2号楼,102,70.00,C\n"
)


def test_rooms_numbered_per_building_are_told_apart_by_the_building(tmp_path):
    roll = tmp_path / "roll.csv"
    roll.write_text(PER_BUILDING_ROLL, encoding="utf-8")
    ballots = tmp_path / "ballots.csv"
    ballots.write_text(
        "compound,building,unit,choice\n甲小区,2号楼,101,agree\n甲小区,1号楼,101,disagree\n",
        encoding="utf-8",
    )
    done = run(
        "--roll",
        str(roll),
        "--ballots",
        str(ballots),
        "--rule",
        "civil-code-2021:ordinary",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    combined = json.loads(done.stdout)["combined"]
    assert combined["agree"] == {"area": "80.00", "heads": 1}  # 2号楼 101, not 1号楼 101
    assert combined["disagree"] == {"area": "60.00", "heads": 1}


def test_a_ballot_naming_a_room_several_buildings_have_is_refused_with_its_row(tmp_path):
    roll = tmp_path / "roll.csv"
    roll.write_text(PER_BUILDING_ROLL, encoding="utf-8")
    ballots = tmp_path / "ballots.csv"
    ballots.write_text(
        "compound,unit,choice\n甲小区,102,agree\n甲小区,101,agree\n", encoding="utf-8"
    )
    done = run("--roll", str(roll), "--ballots", str(ballots), "--rule", "civil-code-2021:ordinary")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "ballots.csv: 第 3 行，unit 列 “101”：甲小区 有多个楼栋都有 101 室：请填写楼栋（房屋 101）"
    )
