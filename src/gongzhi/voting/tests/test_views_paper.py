"""Pages of the paper trail, for the clerk, the committee and the owners."""

import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from gongzhi.accounts.models import Role
from gongzhi.accounts.services import membership_grant
from gongzhi.core.tests.queue import job_file
from gongzhi.demo.images import tiny_png
from gongzhi.registry.tests.factories import UserFactory
from gongzhi.voting.models import (
    Ballot,
    BallotBox,
    CountSession,
    Decision,
    Delivery,
    Evidence,
    Objection,
    PaperSheet,
)
from gongzhi.voting.services import decision_announce, decision_close, decision_open

pytestmark = pytest.mark.django_db

PNG = tiny_png("scan")
PDF = b"%PDF-1.4\n% scan\n"


@pytest.fixture
def counting(scene):
    """A decision whose window has just closed, still open for the count."""
    now = timezone.now()
    decision = scene.decision(
        opens_at=now - dt.timedelta(days=10), closes_at=now - dt.timedelta(minutes=5)
    )
    Decision.objects.filter(pk=decision.pk).update(min_witnesses=2)
    decision = decision_announce(
        decision=Decision.objects.get(pk=decision.pk),
        actor=scene.clerk,
        now=now - dt.timedelta(days=30),
    )
    return decision_open(decision=decision, actor=scene.clerk, now=now - dt.timedelta(days=10))


@pytest.fixture
def committee(scene):
    user = UserFactory(username="committee")
    membership_grant(user=user, role=Role.COMMITTEE_MEMBER, actor=None, compound=scene.compound)
    return user


def run_count(client, scene, decision):
    """Through the pages: a sealed box, a count with witnesses, one ballot, closed."""
    client.force_login(scene.clerk)
    client.post(f"/voting/{decision.pk}/boxes/", {"label": "一号箱", "seal_number": "SX-1"})
    box = BallotBox.objects.get()
    sealed_at = (timezone.localtime(decision.opens_at) + dt.timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    client.post(
        f"/voting/{decision.pk}/boxes/",
        {
            "box": box.pk,
            "kind": "sealed",
            "at": sealed_at,
            "place": "居委会",
            "present": "李干事\n周委员",
        },
    )
    response = client.post(
        f"/voting/{decision.pk}/count/new/",
        {
            "place": "居委会会议室",
            "scrutineers": "王监票",
            "counters": "赵计票",
            "witnesses": "水霞小区 1-201\n水霞小区 1-202",
        },
    )
    session = CountSession.objects.get()
    assert response.url == f"/voting/{decision.pk}/count/{session.pk}/"
    url = f"/voting/{decision.pk}/count/{session.pk}/"
    client.post(url + "open-box/", {"box": box.pk, "seal_intact": "on"})
    item = decision.items.get()
    client.post(
        url + "sheet/",
        {
            "box": box.pk,
            "compound": scene.compound.pk,
            "unit": "1-101",
            f"item-{item.pk}": "agree",
            "signature": "owner",
            "signer_name": "张三",
            "handed_in_by": "",
            "scan": SimpleUploadedFile("scan.pdf", PDF),
        },
    )
    client.post(url + "close/")
    session.refresh_from_db()
    return session


def test_clerk_runs_a_count_and_prints_the_tally_sheet(client, scene, counting):
    session = run_count(client, scene, counting)
    assert session.status == "closed" and session.head_hash
    sheet = PaperSheet.objects.get()
    assert sheet.scan.sha256 == hashlib.sha256(PDF).hexdigest()
    assert Ballot.objects.get(sheet=sheet).state == "effective"
    pdf = client.get(f"/voting/{counting.pk}/count/{session.pk}/tally-sheet.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert session.head_hash in text.replace("\n", "")
    assert "王监票" in text and "赵计票" in text


def test_too_few_witnesses_is_refused_with_the_reason(client, scene, counting):
    client.force_login(scene.clerk)
    html = client.post(
        f"/voting/{counting.pk}/count/new/",
        {"place": "会议室", "scrutineers": "王", "counters": "赵", "witnesses": "水霞小区 1-201"},
    ).content.decode()
    assert "议事规则要求至少 2 名业主见证人；目前只有 1 名。" in html
    assert not CountSession.objects.exists()


def test_delivery_page_records_with_a_photo_and_lists_masked_names(client, scene, counting):
    client.force_login(scene.clerk)
    when = (timezone.localtime(counting.opens_at) + dt.timedelta(hours=2)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    client.post(
        f"/voting/{counting.pk}/deliveries/",
        {
            "compound": scene.compound.pk,
            "unit": "1-101",
            "method": "hand",
            "delivered_at": when,
            "recipient": "张三",
            "delivered_by": "李干事",
            "evidence": SimpleUploadedFile("p.png", PNG),
        },
    )
    delivery = Delivery.objects.get()
    assert delivery.evidence.content_type == "image/png"
    pdf = client.get(f"/voting/{counting.pk}/deliveries/{scene.compound.pk}.pdf?building=")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    owner = scene.owners[0].name
    assert owner not in text and owner[0] + "*" in text


def test_a_bad_upload_is_refused_and_nothing_is_recorded(client, scene, counting):
    client.force_login(scene.clerk)
    when = (timezone.localtime(counting.opens_at) + dt.timedelta(hours=2)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    html = client.post(
        f"/voting/{counting.pk}/deliveries/",
        {
            "compound": scene.compound.pk,
            "unit": "1-101",
            "method": "posted",
            "delivered_at": when,
            "evidence": SimpleUploadedFile("evil.html", b"<script>alert(1)</script>"),
        },
        follow=True,
    ).content.decode()
    assert "只接受 JPEG、PNG 图片或 PDF 文件。" in html
    assert not Delivery.objects.exists() and not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("clerk", 200), ("committee", 200), ("owner", 403), ("outsider", 403)]
)
def test_evidence_files_only_for_organisers_and_committee(
    client, scene, counting, committee, who, status
):
    session = run_count(client, scene, counting)
    scan = PaperSheet.objects.get(session=session).scan
    user = {
        "clerk": scene.clerk,
        "committee": committee,
        "owner": scene.owner_user,
        "outsider": scene.outsider,
    }[who]
    client.force_login(user)
    response = client.get(f"/voting/{counting.pk}/evidence/{scan.pk}/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"


def test_only_organisers_run_the_paper_trail(client, scene, counting, committee):
    for user in (committee, scene.owner_user):
        client.force_login(user)
        assert client.get(f"/voting/{counting.pk}/deliveries/").status_code == 403
        assert client.get(f"/voting/{counting.pk}/count/new/").status_code == 403
    client.force_login(committee)
    assert client.get(f"/voting/{counting.pk}/scrutiny/").status_code == 200
    # one view per action, each asking the permission itself
    answer = client.post(f"/voting/{counting.pk}/objections/1/answer/", {"answer": "x"})
    assert answer.status_code == 403
    reverify = client.post(f"/voting/{counting.pk}/scrutiny/reverify/", {"sheet": 1})
    assert reverify.status_code == 403
    assert client.get(f"/voting/{counting.pk}/count/1/").status_code == 403


def test_export_bundle_manifest_matches_every_file(client, scene, counting):
    run_count(client, scene, counting)
    decision_close(decision=counting, actor=scene.clerk)
    response = client.post(f"/voting/{counting.pk}/bundle/")
    archive = zipfile.ZipFile(io.BytesIO(job_file(client, response)))
    manifest = json.loads(archive.read("manifest.json"))
    assert {
        "ledger.csv",
        "register.csv",
        "ballots.csv",
        "sheets.csv",
        "deliveries.csv",
        "box_events.csv",
        "objections.csv",
        "reverifications.csv",
        "results/preliminary.json",
    } <= set(manifest["files"])
    assert any(name.startswith("evidence/scan/") for name in manifest["files"])
    assert any(name.startswith("pdf/tally-sheet-") for name in manifest["files"])
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
    assert manifest["ledger_head_hash"] == counting.ledger.order_by("-sequence").first().hash


def test_owner_objects_in_the_period_and_the_answer_is_shown_anonymised(client, scene, counting):
    run_count(client, scene, counting)
    decision_close(decision=counting, actor=scene.clerk)
    client.force_login(scene.owner_user)
    client.post(f"/voting/{counting.pk}/objections/", {"text": "1-101 的票不是我投的"})
    objection = Objection.objects.get()
    assert objection.owner == scene.owners[0]
    client.force_login(scene.clerk)
    client.post(f"/voting/{counting.pk}/objections/{objection.pk}/answer/", {"answer": "已核实。"})
    html = client.get(f"/voting/{counting.pk}/results/").content.decode()
    assert "1-101 的票不是我投的" in html and "已核实。" in html
    assert scene.owners[0].name not in html


def test_an_owner_confirming_receipt_is_a_recorded_online_delivery(client, scene):
    """The review's finding: opening the ballot page recorded a delivery (a GET with
    legal effect, which any foreign page could trigger with an image tag)."""
    now = timezone.now()
    decision = scene.decision(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=5)
    )
    decision = decision_announce(
        decision=decision, actor=scene.clerk, now=now - dt.timedelta(days=20)
    )
    decision = decision_open(decision=decision, actor=scene.clerk, now=now)
    client.force_login(scene.owner_user)
    page = client.get(f"/voting/{decision.pk}/vote/")
    client.get(f"/voting/{decision.pk}/vote/receive/")  # 405: a GET records nothing
    assert not Delivery.objects.exists()
    assert 'data-testid="receive"' in page.content.decode()
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(scene.owner_user)
    assert forged.post(f"/voting/{decision.pk}/vote/receive/").status_code == 403
    assert not Delivery.objects.exists()
    client.post(f"/voting/{decision.pk}/vote/receive/")
    client.post(f"/voting/{decision.pk}/vote/receive/")  # once per unit
    assert (
        'data-testid="receive"' not in client.get(f"/voting/{decision.pk}/vote/").content.decode()
    )
    assert sorted(Delivery.objects.values_list("entry__unit_number", "method")) == [
        ("1-101", "online"),
        ("1-301", "online"),
    ]


def test_owners_inspect_the_masked_trail_after_the_close(client, scene, counting):
    run_count(client, scene, counting)
    client.force_login(scene.owner_user)
    assert client.get(f"/voting/{counting.pk}/trail/").status_code == 403  # still open
    decision_close(decision=counting, actor=scene.clerk)
    html = client.get(f"/voting/{counting.pk}/trail/").content.decode()
    assert "一号箱" in html and "王监票" in html
