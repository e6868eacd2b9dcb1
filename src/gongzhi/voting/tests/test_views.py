"""The pages of a decision, for each person who uses them."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.utils import timezone
from pypdf import PdfReader

from gongzhi.core.tests.queue import job_file
from gongzhi.voting.models import Ballot, Decision, DecisionStatus, OneTimeCode
from gongzhi.voting.services import (
    ballot_enter_paper,
    codes_issue,
    decision_announce,
    decision_close,
    decision_open,
)

pytestmark = pytest.mark.django_db

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.fixture
def live(scene):
    """An open decision whose window contains the real present."""
    now = timezone.now()
    decision = scene.decision(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=10)
    )
    decision = decision_announce(
        decision=decision, actor=scene.clerk, now=now - dt.timedelta(days=20)
    )
    return decision_open(decision=decision, actor=scene.clerk, now=now)


@pytest.fixture
def closed(scene):
    """A decision voted and closed in the past, with its preliminary result."""
    now = timezone.now()
    opens, closes = now - dt.timedelta(days=20), now - dt.timedelta(days=5)
    decision = scene.decision(opens_at=opens, closes_at=closes)
    decision = decision_announce(
        decision=decision, actor=scene.clerk, now=opens - dt.timedelta(days=16)
    )
    decision = decision_open(decision=decision, actor=scene.clerk, now=opens)
    item = decision.items.get()
    for number, choice in [
        ("1-101", "agree"),
        ("1-102", "agree"),
        ("1-201", "disagree"),
        ("1-301", "agree"),
    ]:
        entry = decision.register.get(unit_number=number)
        ballot_enter_paper(
            decision=decision,
            entry=entry,
            choices={item.pk: choice},
            clerk=scene.clerk,
            now=opens + dt.timedelta(days=1),
        )
    decision_close(decision=decision, actor=scene.clerk, now=closes + dt.timedelta(minutes=5))
    return Decision.objects.get(pk=decision.pk)


def login(client, user):
    client.force_login(user)
    return client


class TestOrganising:
    def test_clerk_creates_and_announces_with_a_recorded_short_notice(self, client, scene):
        login(client, scene.clerk)
        now = timezone.now()
        response = client.post(
            "/voting/new/",
            {
                "title": "同意由纺原物业提供物业服务",
                "text": "说明",
                "compounds": [scene.compound.pk],
                "scope": "each",
                "opens_at": (now + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
                "online_voting": "on",
                "question": "是否同意？",
                "matter": "4",
            },
        )
        decision = Decision.objects.get()
        assert response.url == f"/voting/{decision.pk}/"
        refused = client.post(f"/voting/{decision.pk}/act/announce/", follow=True)
        assert "《物业管理条例》第十四条" in refused.content.decode()
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.DRAFT
        client.post(
            f"/voting/{decision.pk}/act/announce/", {"notice_override_reason": "业主大会临时会议"}
        )
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.ANNOUNCED
        assert decision.register.count() == 5

    def test_owner_cannot_organise(self, client, scene, live):
        login(client, scene.owner_user)
        assert client.get("/voting/new/").status_code == 403
        assert client.post(f"/voting/{live.pk}/act/close/").status_code == 403


class TestPublicPages:
    def test_register_shows_units_and_areas_but_no_names(self, client, scene, live):
        html = client.get(f"/voting/{live.pk}/register/").content.decode()
        assert "1-102" in html and "70.00" in html
        for owner in scene.owners:
            assert owner.name not in html
        assert not PHONE.search(html)

    def test_draft_is_hidden_from_the_public(self, client, scene):
        draft = scene.decision()
        response = client.get(f"/voting/{draft.pk}/")
        assert response.status_code == 403
        assert "该表决事项尚未公告。" in response.content.decode()
        login(client, scene.owner_user)
        assert client.get(f"/voting/{draft.pk}/").status_code == 403
        login(client, scene.clerk)
        assert client.get(f"/voting/{draft.pk}/").status_code == 200

    def test_result_page_aggregates_only_with_the_rule_and_head_hash(self, client, scene, closed):
        html = client.get(f"/voting/{closed.pk}/results/").content.decode()
        result = closed.results.get()
        assert result.head_hash in html
        assert "《民法典》第二百七十八条第二款" in html  # the rule in the words of the law
        assert "340.00" in html  # total area of the compound
        for owner in scene.owners:
            assert owner.name not in html
        assert not PHONE.search(html)


class TestPaperEntry:
    def test_clerk_enters_a_paper_ballot(self, client, scene, live):
        login(client, scene.clerk)
        item = live.items.get()
        response = client.post(
            f"/voting/{live.pk}/paper/",
            {"compound": scene.compound.pk, "unit": "1-201", f"item-{item.pk}": "disagree"},
            follow=True,
        )
        assert response.status_code == 200
        ballot = Ballot.objects.get()
        assert (ballot.entry.unit_number, ballot.choice, ballot.channel) == (
            "1-201",
            "disagree",
            "paper",
        )

    def test_unknown_unit_is_a_clear_error(self, client, scene, live):
        login(client, scene.clerk)
        item = live.items.get()
        response = client.post(
            f"/voting/{live.pk}/paper/",
            {"compound": scene.compound.pk, "unit": "9-999", f"item-{item.pk}": "agree"},
            follow=True,
        )
        assert "9-999" not in [b.entry.unit_number for b in Ballot.objects.all()]
        assert response.status_code == 200 and not Ballot.objects.exists()


class TestOwnerVoting:
    def test_owner_votes_online_and_gets_a_receipt_they_can_check(self, client, scene, live):
        login(client, scene.owner_user)
        page = client.get(f"/voting/{live.pk}/vote/").content.decode()
        assert "1-101" in page and "1-301" in page and "1-201" not in page
        item = live.items.get()
        entry = live.register.get(unit_number="1-101")
        chosen = {"entry": entry.pk, f"item-{item.pk}": "agree"}
        check_first = client.post(f"/voting/{live.pk}/vote/", chosen)
        # a ballot cannot be changed once cast: the owner sees it again first
        assert 'data-testid="confirm"' in check_first.content.decode()
        assert not Ballot.objects.exists()
        response = client.post(
            f"/voting/{live.pk}/vote/", {**chosen, "confirmed": "1"}, follow=True
        )
        ballot = Ballot.objects.get()
        assert ballot.receipt in response.content.decode()
        check = client.get(f"/voting/{live.pk}/results/?receipt={ballot.receipt}").content.decode()
        assert 'data-testid="receipt-check"' in check
        assert "agree" not in check.split('data-testid="receipt-check"')[1].split("</p>")[0]

    def test_owner_cannot_post_a_ballot_for_a_neighbour(self, client, scene, live):
        login(client, scene.owner_user)
        item = live.items.get()
        neighbour = live.register.get(unit_number="1-201")
        response = client.post(
            f"/voting/{live.pk}/vote/", {"entry": neighbour.pk, f"item-{item.pk}": "agree"}
        )
        assert response.status_code == 403
        assert not Ballot.objects.exists()

    def test_outsider_has_no_ballot_page(self, client, scene, live):
        login(client, scene.outsider)
        assert client.get(f"/voting/{live.pk}/vote/").status_code == 403

    def test_code_link_with_phone_digits(self, client, scene, live):
        entry = live.register.get(unit_number="1-201")
        code = codes_issue(decision=live, entries=[entry], actor=scene.clerk)[entry.pk]
        item = live.items.get()
        page = client.get(f"/voting/code/{code}/")
        assert page.status_code == 200 and "1-201" in page.content.decode()
        wrong = client.post(
            f"/voting/code/{code}/", {"phone_last4": "1111", f"item-{item.pk}": "agree"}
        ).content.decode()
        assert "手机号后四位与该房屋业主不符。" in wrong
        assert OneTimeCode.objects.get().failed_attempts == 1
        done = client.post(
            f"/voting/code/{code}/", {"phone_last4": "0003", f"item-{item.pk}": "agree"}
        ).content.decode()
        assert 'data-testid="receipt"' in done
        assert Ballot.objects.get().channel == "code"

    def test_unknown_code_is_not_found(self, client, live):
        assert client.get("/voting/code/NOSUCHCODE/").status_code == 404

    def test_guessing_code_links_meets_the_address_limit(self, client, scene, live, settings):
        settings.VOTE_CODE_RATE_LIMIT = {"per_address": 3, "window_seconds": 3600}
        entry = live.register.get(unit_number="1-201")
        code = codes_issue(decision=live, entries=[entry], actor=scene.clerk)[entry.pk]
        for _ in range(5):  # a real code's link does not use up the allowance
            assert client.get(f"/voting/code/{code}/", REMOTE_ADDR="6.6.6.6").status_code == 200
        for n in range(3):
            guess = client.get(f"/voting/code/GUESS{n:05d}/", REMOTE_ADDR="6.6.6.6")
            assert guess.status_code == 404
        refused = client.get("/voting/code/GUESS99999/", REMOTE_ADDR="6.6.6.6")
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        assert "尝试次数过多" in refused.content.decode()
        # now even a real code waits, from that address only
        assert client.get(f"/voting/code/{code}/", REMOTE_ADDR="6.6.6.6").status_code == 429
        assert client.get(f"/voting/code/{code}/", REMOTE_ADDR="7.7.7.7").status_code == 200


class TestDrive:
    def test_drive_shows_what_is_missing_and_who_to_visit(self, client, scene, live):
        item = live.items.get()
        ballot_enter_paper(
            decision=live,
            entry=live.register.get(unit_number="1-101"),
            choices={item.pk: "agree"},
            clerk=scene.clerk,
        )
        login(client, scene.clerk)
        html = client.get(f"/voting/{live.pk}/drive/").content.decode()
        # civil-code ordinary over 4 persons / 340.00 m²: participation needs 3 persons
        # and 226.67 m² (two thirds, rounded up to the hundredth); 1 person, 60.00 m² are in.
        assert "2" in html and "166.67" in html
        missing = html.split('data-testid="missing-units"')[1]
        assert "1-101" not in missing and "1-102" in missing

    def test_owner_is_not_shown_the_drive(self, client, scene, live):
        login(client, scene.owner_user)
        assert client.get(f"/voting/{live.pk}/drive/").status_code == 403


class TestPrinting:
    def test_ballots_pdf_embeds_a_chinese_font_and_one_page_per_unit(self, client, scene, live):
        login(client, scene.clerk)
        response = client.post(f"/voting/{live.pk}/print/{scene.compound.pk}/")
        # printed by the background worker, not inside the request
        assert not OneTimeCode.objects.exists()
        reader = PdfReader(io.BytesIO(job_file(client, response)))
        assert len(reader.pages) == 5
        text = reader.pages[0].extract_text()
        assert "水霞小区" in text and "同意由纺原物业提供物业服务" in text
        assert "1-101" in text and "60.00 m²" in text  # Latin and digits render too
        fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
        embedded = [
            f for f in fonts if "/FontDescriptor" in f and "/FontFile2" in f["/FontDescriptor"]
        ]
        assert embedded, "the TrueType font program must be embedded"
        assert OneTimeCode.objects.filter(entry__decision=live).count() == 5

    def test_owner_cannot_print(self, client, scene, live):
        login(client, scene.owner_user)
        assert client.post(f"/voting/{live.pk}/print/{scene.compound.pk}/").status_code == 403


class TestInspectionAndExport:
    def test_owner_inspects_the_masked_ballot_list_after_close(self, client, scene, closed):
        login(client, scene.owner_user)
        html = client.get(f"/voting/{closed.pk}/ballots/").content.decode()
        assert "1-102" in html
        assert scene.owners[1].name not in html
        assert scene.owners[1].name[0] + "*" in html

    def test_no_inspection_while_open(self, client, scene, live):
        login(client, scene.owner_user)
        assert client.get(f"/voting/{live.pk}/ballots/").status_code == 403

    def test_excel_export_for_staff_only(self, client, scene, closed):
        login(client, scene.owner_user)
        assert client.get(f"/voting/{closed.pk}/export.xlsx").status_code == 403
        login(client, scene.clerk)
        response = client.get(f"/voting/{closed.pk}/export.xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == [
            "结果 Results",
            "登记册 Register",
            "表决票 Ballots",
            "账本 Ledger",
        ]
        assert workbook["表决票 Ballots"].max_row == 5  # header and four ballots
