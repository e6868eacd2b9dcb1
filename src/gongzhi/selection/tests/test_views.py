"""Selection pages for each role: refusals with reasons, the public only what is published."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from gongzhi.accounts.models import Role
from gongzhi.accounts.services import membership_grant
from gongzhi.core.tests.clients import as_
from gongzhi.registry.tests.factories import NeighbourhoodFactory, SubDistrictFactory, UserFactory
from gongzhi.selection import selectors, services
from gongzhi.selection.models import Bid, Custody, PoolEntry, ProviderPool

from .test_services import NOW, bid, make_plan, panel, request_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("official", 200),
        ("clerk", 200),
        ("committee", 200),
        ("owner", 403),
        ("fangyuan", 403),
        ("outsider", 403),
    ],
)
def test_custody_request_page_matrix(client, pool, who, status):
    request = request_for(pool)
    assert (
        as_(client, pool.users[who]).get(f"/selection/custody/{request.pk}/").status_code == status
    )


def test_request_page_shows_ranked_candidates_exclusions_and_the_map(client, pool):
    request = request_for(pool)
    html = (
        as_(client, pool.users["official"])
        .get(f"/selection/custody/{request.pk}/")
        .content.decode()
    )
    assert html.index("纺原物业") < html.index("虹桥物业")
    assert "暂停" in html or "考核不合格" in html
    assert "<svg" in html and "纺原物业" in html.split("<svg")[1]


def test_only_the_sub_district_picks(client, pool):
    request = request_for(pool)
    body = {
        "company": pool.companies["纺原物业"].pk,
        "starts_on": "2026-06-01",
        "months": 6,
    }
    assert (
        as_(client, pool.users["committee"])
        .post(f"/selection/custody/{request.pk}/pick/", body)
        .status_code
        == 403
    )
    assert not Custody.objects.exists()
    as_(client, pool.users["official"]).post(f"/selection/custody/{request.pk}/pick/", body)
    # one view per action: the request's own page changes nothing
    assert client.post(f"/selection/custody/{request.pk}/", body).status_code == 405
    assert Custody.objects.get().company == pool.companies["纺原物业"]


def test_after_the_pick_the_page_shows_the_ranking_the_official_saw(client, pool):
    request = request_for(pool)
    official = pool.users["official"]
    today = timezone.localdate()
    excluded_then = {
        e.candidate.name for e in selectors.custody_candidates(pool.compound, on=today)[1]
    }
    as_(client, official).post(
        f"/selection/custody/{request.pk}/pick/",
        {
            "company": pool.companies["纺原物业"].pk,
            "starts_on": today.isoformat(),
            "months": 6,
        },
    )
    # Afterwards the pool changes: the custodian is suspended.
    entry = PoolEntry.objects.get(company=pool.companies["纺原物业"])
    services.pool_entry_set_status(
        entry=entry, status="suspended", reason="投诉核查", actor=official
    )

    html = client.get(f"/selection/custody/{request.pk}/").content.decode()
    table = html.split('data-testid="candidates"')[1].split("</table>")[0]
    assert '<tr class="picked"><td>1</td><td>纺原物业</td>' in table
    shown_excluded = html.split('data-testid="excluded"')[1].split("</ul>")[0]
    assert "投诉核查" not in shown_excluded  # today's suspension is not rewritten into the record
    assert all(name in shown_excluded for name in excluded_then)
    assert 'data-testid="pick-form"' not in html
    client.cookies["django_language"] = "en"
    english = client.get(f"/selection/custody/{request.pk}/").content.decode()
    assert "suspended from the pool" in english or "admission expired" in english
    assert "As ranked when" in english


def test_too_long_custody_is_refused_on_the_page(client, pool):
    request = request_for(pool)
    body = {
        "company": pool.companies["纺原物业"].pk,
        "starts_on": "2026-06-01",
        "months": 9,
    }
    html = (
        as_(client, pool.users["official"])
        .post(f"/selection/custody/{request.pk}/pick/", body, follow=True)
        .content.decode()
    )
    assert "最长 6 个月" in html
    assert not Custody.objects.exists()


def test_committee_member_sees_only_their_compound_requests(client, pool):
    own = request_for(pool)
    other = services.custody_request_create(
        compound=pool.bare_compound,
        requested_by="owners",
        reason="x",
        supporters=pool.bare_owners[:3],
        actor=pool.users["clerk"],
        now=NOW,
    )
    html = as_(client, pool.users["committee"]).get("/selection/").content.decode()
    assert f"/selection/custody/{own.pk}/" in html and f"/selection/custody/{other.pk}/" not in html
    assert (
        as_(client, pool.users["committee"]).get(f"/selection/custody/{other.pk}/").status_code
        == 403
    )


@pytest.fixture
def published(pool, passed_decision):
    now = timezone.now()
    plan = services.plan_create(
        neighbourhood=pool.neighbourhood,
        title="选聘",
        compounds=[pool.compound],
        decision=passed_decision,
        bids_close_at=now + dt.timedelta(days=5),
        actor=pool.users["clerk"],
    )
    return services.plan_publish(plan=plan, actor=pool.users["clerk"], now=now)


def test_a_company_sees_and_edits_only_its_own_bid(client, pool, published):
    as_(client, pool.users["fangyuan"]).post(
        f"/selection/plans/{published.pk}/bid/",
        {
            "fee_residential": "1.80",
            "staff": 12,
            "public_revenue_share": "70",
            "term_months": 36,
            "document": SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%plan\n"),
        },
    )
    bid = Bid.objects.get()
    assert bid.company == pool.companies["纺原物业"] and bid.document.sha256
    html = (
        as_(client, pool.users["hongqiao"])
        .get(f"/selection/plans/{published.pk}/")
        .content.decode()
    )
    assert "1.80" not in html
    page = (
        as_(client, pool.users["hongqiao"])
        .get(f"/selection/plans/{published.pk}/bid/")
        .content.decode()
    )
    assert "1.80" not in page
    html = (
        as_(client, pool.users["fangyuan"])
        .get(f"/selection/plans/{published.pk}/")
        .content.decode()
    )
    assert "1.80" in html


def test_criteria_and_fees_are_shown_in_the_readers_language(client, pool, published):
    services.bid_submit(
        plan=published,
        company=pool.companies["纺原物业"],
        fees={"residential": "1.80", "parking": "0.50"},
        staff=12,
        public_revenue_share="70",
        term_months=36,
        service_items=[],
        actor=pool.users["fangyuan"],
    )
    html = as_(client, pool.users["clerk"]).get(f"/selection/plans/{published.pk}/")
    html = html.content.decode()
    assert "管理方案 25" in html and "住宅 1.80；车位 0.50" in html
    assert "management plan" not in html and "residential" not in html
    client.cookies["django_language"] = "en"
    english = client.get(f"/selection/plans/{published.pk}/").content.decode()
    assert "management plan 25" in english and "residential 1.80；parking space 0.50" in english


def test_a_bid_that_is_not_a_pdf_is_refused(client, pool, published):
    html = (
        as_(client, pool.users["fangyuan"])
        .post(
            f"/selection/plans/{published.pk}/bid/",
            {
                "fee_residential": "1.80",
                "staff": 12,
                "public_revenue_share": "70",
                "term_months": 36,
                "document": SimpleUploadedFile("plan.exe", b"MZ\x90"),
            },
        )
        .content.decode()
    )
    assert "PDF" in html and not Bid.objects.exists()


def test_draft_plan_is_hidden_from_the_public(client, pool, passed_decision):
    draft = make_plan(pool, passed_decision)
    assert as_(client, None).get(f"/selection/plans/{draft.pk}/").status_code == 403
    assert as_(client, pool.users["clerk"]).get(f"/selection/plans/{draft.pk}/").status_code == 200
    for who in ("fangyuan", "committee", "expert0"):
        assert as_(client, pool.users[who]).get(f"/selection/plans/{draft.pk}/").status_code == 403
    services.plan_publish(plan=draft, actor=pool.users["clerk"], now=NOW)
    assert as_(client, None).get(f"/selection/plans/{draft.pk}/").status_code == 200


def test_scoring_page_only_for_members_and_blind(client, pool, passed_decision):
    plan = services.plan_publish(
        plan=make_plan(pool, passed_decision), actor=pool.users["clerk"], now=NOW
    )
    one = services.bid_submit(
        plan=plan,
        company=pool.companies["纺原物业"],
        fees={"residential": "1.80"},
        staff=5,
        public_revenue_share="70",
        term_months=36,
        actor=pool.users["fangyuan"],
        now=NOW,
    )
    members = panel(pool, plan)
    services.panel_open(plan=plan, actor=pool.users["clerk"], now=NOW + dt.timedelta(days=11))
    assert (
        as_(client, pool.users["fangyuan"]).get(f"/selection/plans/{plan.pk}/score/").status_code
        == 403
    )
    values = {"plan": "20", "staffing": "15", "standards": "15", "record": "11"}
    services.score_submit(member=members[0], values={one.pk: values}, user=members[0].user)
    page = as_(client, members[1].user).get(f"/selection/plans/{plan.pk}/score/").content.decode()
    assert "专家0" not in page  # another member's scores stay hidden
    as_(client, members[1].user).post(
        f"/selection/plans/{plan.pk}/score/", {f"score-{one.pk}-{k}": "30" for k in values}
    )
    assert not members[1].scores.exists()  # out of range: nothing saved
    page = as_(client, members[0].user).get(f"/selection/plans/{plan.pk}/score/").content.decode()
    assert "专家1" not in page and 'data-testid="all-scores"' not in page
    for member in members[1:]:
        services.score_submit(member=member, values={one.pk: values}, user=member.user)
    page = as_(client, members[0].user).get(f"/selection/plans/{plan.pk}/score/").content.decode()
    table = page.split('data-testid="all-scores"')[1].split("</table>")[0]
    assert '<th class="num">管理方案</th>' in table
    assert all(f"<td>{m.name}</td>" in table for m in members)
    assert table.count('<td class="num">20.0</td>') == len(members)


def test_the_plan_page_states_the_formula_in_the_readers_language(client, published):
    url = f"/selection/plans/{published.pk}/"
    assert "以质论价、质价相符" in client.get(url).content.decode()
    assert "每质量分费用" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    assert "fee per quality = fee per m² per month ÷ (Q ÷ maximum quality)" in (
        client.get(url).content.decode()
    )


def test_an_official_sees_and_changes_only_their_districts_pool(client, pool):
    elsewhere = ProviderPool.objects.create(name="徐汇区临时物业服务企业预选库", district="徐汇区")
    foreign = PoolEntry.objects.create(
        pool=elsewhere,
        company=pool.companies["虹桥物业"],
        admitted_on=dt.date(2025, 1, 1),
        valid_until=dt.date(2027, 1, 1),
        capacity=3,
    )
    html = as_(client, pool.users["official"]).get("/selection/pool/").content.decode()
    assert "长宁区临时物业服务企业预选库" in html and "徐汇区临时物业服务企业预选库" not in html
    response = client.post(
        "/selection/pool/", {"entry": foreign.pk, "status": "suspended", "reason": "越权"}
    )
    assert response.status_code == 403
    foreign.refresh_from_db()
    assert foreign.status == "active"

    # A Xuhui official sees the Xuhui pool only, and the Xuhui pool never offers
    # candidates to a Changning compound.
    xuhui = NeighbourhoodFactory(
        sub_district=SubDistrictFactory(name="徐家汇街道", district="徐汇区")
    )
    user = UserFactory()
    membership_grant(
        user=user, role=Role.SUB_DISTRICT_OFFICIAL, sub_district=xuhui.sub_district, actor=None
    )
    html = as_(client, user).get("/selection/pool/").content.decode()
    assert "徐汇区临时物业服务企业预选库" in html and "长宁区临时物业服务企业预选库" not in html
    ranked, excluded = selectors.custody_candidates(pool.compound, on=dt.date(2026, 6, 1))
    names = [r.candidate.name for r in ranked] + [e.candidate.name for e in excluded]
    assert names.count("虹桥物业") == 1  # from the Changning pool only


@pytest.fixture
def closed(pool, passed_decision):
    plan = services.plan_publish(
        plan=make_plan(pool, passed_decision), actor=pool.users["clerk"], now=NOW
    )
    bids = [bid(pool, plan, "纺原物业", "1.80"), bid(pool, plan, "虹桥物业", "1.20")]
    members = panel(pool, plan)
    closes = NOW + dt.timedelta(days=11)
    services.panel_open(plan=plan, actor=pool.users["clerk"], now=closes)
    for n, member in enumerate(members):
        services.score_submit(
            member=member,
            values={
                bids[0].pk: {
                    "plan": f"2{n}.5",
                    "staffing": "18",
                    "standards": "18",
                    "record": "13",
                },
                bids[1].pk: {"plan": "12", "staffing": "10", "standards": "9", "record": "8"},
            },
            user=member.user,
        )
    services.panel_close(plan=plan, actor=pool.users["clerk"], now=closes + dt.timedelta(hours=1))
    return plan


def test_the_evaluation_report_has_every_score_in_pdf_and_excel(client, pool, closed):
    as_(client, pool.users["clerk"])
    response = client.get(f"/selection/plans/{closed.pk}/report.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ranking = [row for row in book["排名 Ranking"].iter_rows(values_only=True) if any(row)]
    assert ranking[0][:3] == ("名次", "投标企业", "管理方案")
    assert (ranking[1][0], ranking[1][1]) == (1, "纺原物业")
    # trimmed mean of 20.5, 21.5, 22.5, 23.5, 24.5 without the highest and lowest: 22.5
    assert ranking[1][2] == 22.5
    assert "以质论价、质价相符" in ranking[-1][0]
    scores = list(book["评分 Scores"].iter_rows(values_only=True))
    assert len(scores) == 1 + 5 * 2  # every member, every bid
    assert ("专家0", "纺原物业", 20.5, 18, 18, 13) in scores

    pdf = client.get(f"/selection/plans/{closed.pk}/report.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "专家3" in text and "虹桥物业" in text and "22.50" in text and "以质论价" in text

    assert client.get(f"/selection/plans/{closed.pk}/report.exe").status_code == 404
    for who in ("committee", "fangyuan", "expert0"):
        denied = as_(client, pool.users[who]).get(f"/selection/plans/{closed.pk}/report.pdf")
        assert denied.status_code == 403


def test_markup_in_a_plan_title_is_printed_in_the_report_not_obeyed(client, pool, closed):
    from gongzhi.selection.models import SelectionPlan

    title = '<img src="/etc/hostname" width="9" height="9"/><font name="Nope">方案</font>'
    SelectionPlan.objects.filter(pk=closed.pk).update(title=title)
    as_(client, pool.users["clerk"])
    pdf = client.get(f"/selection/plans/{closed.pk}/report.pdf")
    assert pdf.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "".join(title.split()) in "".join(text.split())
