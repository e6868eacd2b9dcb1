"""The project carries its own documents: the README and docs/ link only to files in
the repository, and every one of those exists; the example roll imports."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
DOCUMENTS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
# The sibling folder the founding documents came from; a clone does not have it.
OUTSIDE = "/".join(["..", "shared"])
# The background documents outside the repository, by name (spelled so that this file
# does not name them itself): the project carries its own documents in docs/.
OUTSIDE_NAMES = tuple("".join([stem, ".md"]) for stem in ("DESIGN", "STYLE"))
TEXT_SUFFIXES = {".md", ".py", ".html", ".txt", ".toml", ".cfg", ".yaml", ".yml", ".css", ".js"}


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_link_is_inside_the_repository_and_exists(document):
    text = document.read_text(encoding="utf-8")
    assert OUTSIDE not in text
    for target in LINK.findall(text):
        if target.startswith(("http://", "https://", "mailto:")):
            assert "pypi.org" in target or "github.com" in target, (document.name, target)
            continue
        path = (document.parent / target).resolve()
        assert path.is_relative_to(ROOT), (document.name, target)
        assert path.exists(), (document.name, target)


def test_the_docs_index_lists_every_document():
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    for path in (ROOT / "docs").glob("*.md"):
        if path.name != "README.md":
            assert f"({path.name})" in index, path.name


@pytest.mark.django_db
def test_the_example_roll_of_the_docs_imports():
    from gongzhi.registry.services import roll_import, roll_read
    from gongzhi.registry.tests.factories import NeighbourhoodFactory

    roll = roll_read(str(ROOT / "docs" / "examples" / "roll-example.csv"))
    report = roll_import(
        rows=roll.rows, neighbourhood=NeighbourhoodFactory(), actor=None, file_name=roll.name
    )
    assert report.units_created == 5 and report.owners_created == 4


def test_no_file_of_the_repository_points_outside_it():
    found = []
    for folder in ("src", "docs", "bench", "scripts", ".ci"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in TEXT_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                text = path.read_text(encoding="utf-8", errors="replace")
                if OUTSIDE in text or any(name in text for name in OUTSIDE_NAMES):
                    found.append(str(path.relative_to(ROOT)))
    for name in ("README.md", "CONTRIBUTING.md", "Makefile", "pyproject.toml"):
        text = (ROOT / name).read_text(encoding="utf-8")
        if OUTSIDE in text or any(outside in text for outside in OUTSIDE_NAMES):
            found.append(name)
    assert found == []
