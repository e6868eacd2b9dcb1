"""Exports and bundles as objects of the permission matrix, by the decision's status;
named data only for the compounds a reader may see; no cell becomes a formula; the
frozen register shows owners as they were frozen."""

import csv
import datetime as dt
import io
import json
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.accounts.models import Role
from gongzhi.core.tests.clients import as_
from gongzhi.core.tests.queue import job_file
from gongzhi.demo.images import tiny_png
from gongzhi.registry.models import Owner
from gongzhi.registry.tests.factories import user_with_role
from gongzhi.voting import services as papertrail
from gongzhi.voting.models import Decision
from gongzhi.voting.services import (
    ballot_enter_paper,
    decision_announce,
    decision_close,
    decision_finalise,
    decision_open,
)

from .conftest import AFTER, DURING, OPENS, T0

pytestmark = pytest.mark.django_db
PNG = tiny_png("scan")


def _at_status(scene, status, **kwargs):
    decision = scene.decision(**kwargs)
    decision = decision_announce(decision=decision, actor=scene.clerk, now=T0)
    if status == "announced":
        return decision
    decision = decision_open(decision=decision, actor=scene.clerk, now=OPENS)
    item = decision.items.get()
    ballot_enter_paper(
        decision=decision,
        entry=decision.register.get(compound=scene.compound, unit_number="1-101"),
        choices={item.pk: "agree"},
        clerk=scene.clerk,
        now=DURING,
    )
    if status == "open":
        return decision
    decision_close(decision=decision, actor=scene.clerk, now=AFTER)
    if status == "preliminary":
        return Decision.objects.get(pk=decision.pk)
    decision_finalise(decision=decision, actor=scene.clerk, now=AFTER + dt.timedelta(days=8))
    return Decision.objects.get(pk=decision.pk)


@pytest.fixture
def people(scene):
    return {
        "clerk": scene.clerk,
        "official": scene.official,
        "committee": user_with_role("committee", Role.COMMITTEE_MEMBER, compound=scene.compound),
        "other_committee": user_with_role(
            "other-committee", Role.COMMITTEE_MEMBER, compound=scene.other_compound
        ),
        "owner": scene.owner_user,
        "outsider": scene.outsider,
        "anonymous": None,
    }


ORGANISERS = {"clerk", "official"}
# object -> (who may have it, at which statuses)
OBJECTS = {
    "export.xlsx": (ORGANISERS, {"announced", "open", "preliminary", "final"}),
    "roll.csv": (ORGANISERS, {"announced", "open", "preliminary", "final"}),
    "ballots-{item}.csv": (ORGANISERS, {"announced", "open", "preliminary", "final"}),
    "bundle/": (ORGANISERS | {"committee"}, {"announced", "open", "preliminary", "final"}),
    "ballots/": (ORGANISERS | {"committee", "owner"}, {"preliminary", "final"}),
    "trail/": (ORGANISERS | {"committee"}, {"announced", "open", "preliminary", "final"}),
}


@pytest.mark.parametrize("status", ["announced", "open", "preliminary", "final"])
@pytest.mark.parametrize("role", ["clerk", "official", "committee", "other_committee", "owner",
                                  "outsider", "anonymous"])  # fmt: skip
def test_export_and_bundle_matrix(client, scene, people, status, role):
    decision = _at_status(scene, status)
    as_(client, people[role])
    item = decision.items.get()
    for name, (allowed, statuses) in OBJECTS.items():
        url = f"/voting/{decision.pk}/{name.format(item=item.pk)}"
        # the bundle is made in the background: a POST starts it
        response = client.post(url) if name == "bundle/" else client.get(url)
        expected = role in allowed and status in statuses
        if name == "trail/" and role == "owner":
            expected = status in {"preliminary", "final"}
        if expected and name == "bundle/":
            assert response.status_code == 302, (name, role, status)
            assert response["Location"].startswith("/jobs/")
        elif expected:
            assert response.status_code == 200, (name, role, status)
        elif role == "anonymous":
            assert response.status_code == 302, (name, role, status)
        else:
            assert response.status_code == 403, (name, role, status)


@pytest.fixture
def two_compounds(scene):
    """A decision over both compounds, with a proof of delivery in each."""
    Owner.objects.filter(identifier="O5").update(name="王五")  # the other compound's owner
    Owner.objects.filter(identifier="O3").update(name="李四")
    decision = _at_status(scene, "open", compounds=[scene.compound, scene.other_compound])
    for compound in (scene.compound, scene.other_compound):
        entry = decision.register.get(compound=compound, unit_number="1-101")
        proof = papertrail.evidence_store(
            decision=decision,
            kind="delivery",
            upload=SimpleUploadedFile("proof.png", tiny_png(compound.name)),
            actor=scene.clerk,
        )
        papertrail.delivery_record(
            decision=decision,
            entry=entry,
            method="hand",
            delivered_at=DURING,
            recipient="王五" if compound == scene.other_compound else "张三",
            evidence=proof,
            actor=scene.clerk,
            now=DURING,
        )
    return decision


def _bundle(client, decision):
    data = job_file(client, client.post(f"/voting/{decision.pk}/bundle/"))
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def test_a_committee_member_gets_only_their_compound_by_name(client, scene, people, two_compounds):
    """The review's finding: a committee member received other compounds' named rolls
    through the bundle of a multi-compound decision."""
    decision = two_compounds
    files = _bundle(as_(client, people["committee"]), decision)
    register = files["register.csv"].decode("utf-8-sig")
    assert "李四" in register  # their own compound, by name
    assert "王五" not in register and "O5" not in register and "王*" in register
    deliveries = files["deliveries.csv"].decode("utf-8-sig")
    assert "张三" in deliveries and "王五" not in deliveries
    manifest = json.loads(files["manifest.json"])
    assert manifest["named_compounds"] == [scene.compound.name]
    assert len(manifest["withheld"]) == 1 and manifest["withheld"][0] not in files
    assert sum(1 for name in files if name.startswith("evidence/")) == 1

    # the organisers get everything
    everything = _bundle(as_(client, people["clerk"]), decision)
    assert "王五" in everything["register.csv"].decode("utf-8-sig")
    assert sum(1 for name in everything if name.startswith("evidence/")) == 2


def test_evidence_of_another_compound_is_refused_to_a_committee_member(
    client, scene, people, two_compounds
):
    ours, theirs = (
        two_compounds.deliveries.get(entry__compound=compound).evidence
        for compound in (scene.compound, scene.other_compound)
    )
    as_(client, people["committee"])
    assert client.get(f"/voting/{two_compounds.pk}/evidence/{ours.pk}/").status_code == 200
    assert client.get(f"/voting/{two_compounds.pk}/evidence/{theirs.pk}/").status_code == 403
    as_(client, people["clerk"])
    assert client.get(f"/voting/{two_compounds.pk}/evidence/{theirs.pk}/").status_code == 200


def test_the_drive_lists_only_the_committee_members_own_units(client, scene, people, two_compounds):
    page = as_(client, people["committee"]).get(f"/voting/{two_compounds.pk}/drive/")
    missing = page.content.decode().split('data-testid="missing-units"')[1]
    assert scene.compound.name in missing and scene.other_compound.name not in missing


def test_no_exported_cell_is_a_formula_and_names_are_as_frozen(client, scene):
    hostile = '=HYPERLINK("http://evil.example/x","点此")'
    Owner.objects.filter(identifier="O3").update(name=hostile, identifier="@O3")
    decision = _at_status(scene, "open")
    Owner.objects.filter(identifier="@O3").update(name="后来改的名字")  # after the freeze
    as_(client, scene.clerk)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/voting/{decision.pk}/export.xlsx").content)
    )
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + hostile in values and "后来改的名字" not in values
    assert any(isinstance(c.value, int | float) and c.value == 60 for c in cells)  # numbers stay
    roll = list(
        csv.reader(io.StringIO(client.get(f"/voting/{decision.pk}/roll.csv").content.decode()))
    )
    owners = [row[4] for row in roll[1:]]
    assert "'@O3" in owners
    assert not [cell for row in roll for cell in row if cell[:1] in ("=", "+", "@")]
    register = _bundle(client, decision)["register.csv"].decode("utf-8-sig")
    assert "后来改的名字" not in register
    assert not [
        cell
        for row in csv.reader(io.StringIO(register))
        for cell in row
        if cell[:1] in ("=", "+", "@", "-") and not cell.lstrip("-").replace(".", "").isdigit()
    ]
