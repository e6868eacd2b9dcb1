"""The community foundation's ledger: money exact to the fen, never spent beyond a
fund's balance or off its purpose without the donor's consent, receipts unique,
donors shown only as they agreed, the disclosure calendar's dates exactly, and the
public pages, API, receipt and export."""

import datetime as dt
import io
import threading

import openpyxl
import pytest
from django.db import connection

from gongzhi.accounts.models import Role
from gongzhi.core import clock
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.tests.clients import as_
from gongzhi.foundation import calendar, selectors, services
from gongzhi.foundation.models import Disbursement, Donation, Fund, PurposeConsent
from gongzhi.registry.models import Organisation, OrganisationKind
from gongzhi.registry.tests.factories import SubDistrictFactory, user_with_role

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def ledger():
    sd = SubDistrictFactory(name="仙霞新村街道")
    foundation = Organisation.objects.create(
        kind=OrganisationKind.FOUNDATION, name="仙霞社区基金会", sub_district=sd
    )
    other = Organisation.objects.create(kind=OrganisationKind.FOUNDATION, name="别的基金会")
    clerk = user_with_role("fclerk", Role.FOUNDATION_CLERK, organisation=foundation)
    fund = services.fund_create(
        foundation=foundation,
        name="金平县帮扶",
        beneficiary="云南省金平县",
        purpose="金平县乡村学校助学",
        starts_on=clock.today() - dt.timedelta(days=60),
        actor=clerk,
    )
    return {
        "foundation": foundation,
        "other": other,
        "clerk": clerk,
        "other_clerk": user_with_role("oclerk", Role.FOUNDATION_CLERK, organisation=other),
        "fund": fund,
    }


def give(ledger, amount="50000.00", number="0012345678", **extra):
    fields = {
        "fund": ledger["fund"],
        "donor_name": "王小明",
        "amount": amount,
        "received_on": clock.today() - dt.timedelta(days=10),
        "receipt_kind": "electronic" if number else "declined",
        "receipt_number": number,
        "receipt_check_code": "a1b2c3" if number else "",
        "actor": ledger["clerk"],
    }
    fields.update(extra)
    return services.donation_record(**fields)


def pay(ledger, amount, **extra):
    fields = {
        "fund": ledger["fund"],
        "amount": amount,
        "paid_on": clock.today() - dt.timedelta(days=1),
        "beneficiary": "金平县某小学",
        "purpose": "金平县乡村学校助学",
        "actor": ledger["clerk"],
    }
    fields.update(extra)
    return services.disbursement_record(**fields)


def test_a_fund_adds_up_to_the_fen(ledger):
    give(ledger, "50000.00", "A1")
    give(ledger, "0.01", "A2")
    give(ledger, "1,234.56", "A3")
    pay(ledger, "20000.10")
    figures = selectors.fund_figures(ledger["fund"])
    assert (figures.donated, figures.disbursed, figures.balance) == (5123457, 2000010, 3123447)


def test_the_whole_balance_can_be_spent_and_not_one_fen_more(ledger):
    give(ledger, "100.00", "B1")
    with pytest.raises(ApplicationError, match="100.00"):
        pay(ledger, "100.01")
    assert not Disbursement.objects.exists()
    pay(ledger, "100.00")
    assert selectors.fund_figures(ledger["fund"]).balance == 0
    with pytest.raises(ApplicationError):
        pay(ledger, "0.01")
    assert Disbursement.objects.count() == 1


@pytest.mark.parametrize("amount", ["0", "0.00", "-5", "1.001", "abc", "", "1e3", "NaN"])
def test_a_donation_must_be_a_positive_amount_in_fen(ledger, amount):
    with pytest.raises(ApplicationError):
        give(ledger, amount)
    assert not Donation.objects.exists()


def test_a_receipt_number_is_recorded_once(ledger):
    give(ledger, "10.00", "RN-1")
    with pytest.raises(ApplicationError, match="RN-1"):
        give(ledger, "20.00", "RN-1")
    assert Donation.objects.count() == 1


def test_receipt_or_the_recorded_fact_that_the_donor_declined(ledger):
    with pytest.raises(ApplicationError):  # a paper receipt needs its number
        give(ledger, "10.00", "", receipt_kind="paper")
    with pytest.raises(ApplicationError):  # an electronic one its check code
        give(ledger, "10.00", "E-1", receipt_check_code="")
    with pytest.raises(ApplicationError):  # declined, yet a number
        give(ledger, "10.00", "E-2", receipt_kind="declined", receipt_check_code="")
    give(ledger, "10.00", "")
    assert Donation.objects.get().receipt_kind == "declined"


def test_another_purpose_needs_the_donors_recorded_consent(ledger):
    give(ledger, "1000.00", "C1")
    with pytest.raises(ApplicationError, match="捐赠人同意"):
        pay(ledger, "10.00", purpose="金平县卫生室设备")
    assert not Disbursement.objects.exists()
    consent = services.consent_record(
        fund=ledger["fund"],
        donor_name="王小明",
        purpose="金平县卫生室设备",
        given_on=clock.today() - dt.timedelta(days=2),
        note="捐赠人签字的同意书",
        actor=ledger["clerk"],
    )
    payment = pay(ledger, "10.00", purpose="金平县卫生室设备")
    assert payment.consent == consent
    # a consent given after the payment does not cover it
    with pytest.raises(ApplicationError):
        pay(
            ledger,
            "10.00",
            purpose="金平县卫生室设备",
            paid_on=clock.today() - dt.timedelta(days=3),
        )


def test_only_the_foundations_clerks_keep_its_ledger(ledger):
    for actor in (ledger["other_clerk"], user_with_role("someone")):
        with pytest.raises(PermissionRefused):
            give(ledger, "1.00", "P1", actor=actor)
    assert not Donation.objects.exists()
    with pytest.raises(PermissionRefused):
        services.fund_create(
            foundation=ledger["foundation"],
            name="x",
            beneficiary="y",
            purpose="z",
            starts_on=clock.today(),
            actor=ledger["other_clerk"],
        )


def test_donors_are_shown_only_as_they_agreed(ledger, client):
    give(ledger, "1.00", "S1", donor_name="王小明", disclosure="named")
    give(ledger, "2.00", "S2", donor_name="李大伟", disclosure="masked")
    give(ledger, "3.00", "S3", donor_name="赵秘密", disclosure="anonymous")
    page = client.get(f"/foundation/funds/{ledger['fund'].pk}/").content.decode()
    assert "王小明" in page
    assert "李*伟" in page and "李大伟" not in page
    assert "赵秘密" not in page and "赵" not in page.split("donations")[1]
    assert "匿名" in page


def test_public_page_api_and_verification(ledger, client):
    donation = give(ledger, "50000.00", "V1", donor_name="上海市云南商会会长")
    pay(ledger, "12000.50")
    page = client.get(f"/foundation/funds/{ledger['fund'].pk}/").content.decode()
    assert "50,000.00" in page and "12,000.50" in page and "37,999.50" in page
    data = client.get("/api/foundation/funds").json()
    assert data == [
        {
            "name": "金平县帮扶",
            "beneficiary": "云南省金平县",
            "donated": "50000.00",
            "disbursed": "12000.50",
            "balance": "37999.50",
        }
    ]
    check = client.get(f"/foundation/receipts/{donation.verify_token}/")
    assert check.status_code == 200 and "50,000.00" in check.content.decode()
    assert client.get("/foundation/receipts/not-a-token/").status_code == 404


def test_unpublished_funds_stay_off_public_pages(ledger, client):
    ledger["fund"].published = False
    ledger["fund"].save()
    assert client.get(f"/foundation/funds/{ledger['fund'].pk}/").status_code == 404
    assert client.get("/api/foundation/funds").json() == []
    assert (
        as_(client, ledger["clerk"]).get(f"/foundation/funds/{ledger['fund'].pk}/").status_code
        == 200
    )


def test_receipt_pdf_and_export_are_the_clerks(ledger, client):
    donation = give(ledger, "50000.00", "=HYPERLINK(1)", donor_name="=cmd|' /C calc'!A0")
    pdf = as_(client, ledger["clerk"]).get(f"/foundation/donations/{donation.pk}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    export = client.get(f"/foundation/ledger/{ledger['foundation'].pk}/ledger.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    rows = list(book.worksheets[1].values)
    assert rows[1][2] == "'=cmd|' /C calc'!A0"  # neutralised, not a formula
    assert str(rows[1][4]) == "50000"
    assert list(book.worksheets[0].values)[1][5] == 50000
    for outsider in (ledger["other_clerk"], None):
        as_(client, outsider)
        assert client.get(f"/foundation/donations/{donation.pk}/receipt.pdf").status_code in (
            302,
            404,
        )
        assert client.get(
            f"/foundation/ledger/{ledger['foundation'].pk}/ledger.xlsx"
        ).status_code in (302, 403)


def test_pages_record_a_donation_and_a_payment(ledger, client):
    as_(client, ledger["clerk"])
    fund = ledger["fund"]
    day = (clock.today() - dt.timedelta(days=3)).isoformat()
    response = client.post(
        f"/foundation/funds/{fund.pk}/donations/new/",
        {
            "donor_name": "王小明",
            "amount": "50,000.00",
            "received_on": day,
            "disclosure": "named",
            "receipt_kind": "paper",
            "receipt_number": "No.001",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/foundation/funds/{fund.pk}/disbursements/new/",
        {"amount": "60000", "paid_on": day, "beneficiary": "x", "purpose": fund.purpose},
    )
    assert response.status_code == 200
    assert "50000.00" in response.content.decode()  # the refusal names the balance
    assert not Disbursement.objects.exists()
    assert client.get(f"/foundation/funds/{fund.pk}/disbursements/new/").status_code == 200
    as_(client, ledger["other_clerk"])
    assert (
        client.post(f"/foundation/funds/{fund.pk}/donations/new/", {"donor_name": "x"}).status_code
        == 403
    )


# --- the disclosure calendar (慈善组织信息公开办法) -------------------------------------


def test_annual_report_due_on_31_may_of_the_next_year():
    found = calendar.annual(2025, D(2026, 12, 2))
    assert [(o.key, o.due_on) for o in found] == [("annual-2025", D(2026, 5, 31))]
    assert calendar.annual(2026, D(2026, 12, 31)) == []


def test_six_months_exactly_is_not_longer_than_six_months():
    assert not calendar.runs_longer_than_six_months(D(2026, 1, 31), D(2026, 7, 31))
    assert calendar.runs_longer_than_six_months(D(2026, 1, 31), D(2026, 8, 1))
    assert calendar.for_fund(1, D(2026, 1, 31), D(2026, 7, 31), D(2026, 7, 30)) == []


def test_quarterly_periods_and_the_closing_report():
    found = calendar.for_fund(7, D(2026, 4, 11), D(2027, 4, 10), D(2027, 5, 1))
    quarters = [(o.period_start, o.period_end, o.due_on) for o in found if o.kind == "quarterly"]
    assert quarters == [
        (D(2026, 4, 11), D(2026, 7, 10), D(2026, 7, 10)),
        (D(2026, 7, 11), D(2026, 10, 10), D(2026, 10, 10)),
        (D(2026, 10, 11), D(2027, 1, 10), D(2027, 1, 10)),
        (D(2027, 1, 11), D(2027, 4, 10), D(2027, 4, 10)),
    ]
    final = [o for o in found if o.kind == "final"]
    assert [(o.key, o.due_on) for o in final] == [("fund-7-final", D(2027, 7, 10))]
    assert calendar.add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


def test_overdue_disclosures_reach_the_clerk_and_publishing_clears_them(ledger):
    fund = ledger["fund"]
    fund.starts_on = clock.today() - dt.timedelta(days=200)
    fund.save()
    overdue = selectors.overdue_disclosures(ledger["clerk"], clock.today())
    keys = [due.obligation.key for _f, due in overdue]
    assert f"fund-{fund.pk}-q1" in keys
    assert selectors.overdue_disclosures(ledger["other_clerk"], clock.today()) == []
    services.disclosure_publish(
        foundation=ledger["foundation"],
        key=f"fund-{fund.pk}-q1",
        title="第一季度公开",
        summary="收入与支出如下",
        actor=ledger["clerk"],
    )
    keys = [
        due.obligation.key
        for _f, due in selectors.overdue_disclosures(ledger["clerk"], clock.today())
    ]
    assert f"fund-{fund.pk}-q1" not in keys
    with pytest.raises(ApplicationError):
        services.disclosure_publish(
            foundation=ledger["foundation"],
            key=f"fund-{fund.pk}-q1",
            title="again",
            summary="again",
            actor=ledger["clerk"],
        )
    with pytest.raises(ApplicationError):
        services.disclosure_publish(
            foundation=ledger["foundation"],
            key="annual-1990",
            title="t",
            summary="s",
            actor=ledger["clerk"],
        )


@pytest.mark.django_db(transaction=True)
def test_two_clerks_cannot_both_spend_the_last_yuan():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises every write")
    sd = SubDistrictFactory()
    foundation = Organisation.objects.create(kind=OrganisationKind.FOUNDATION, name="基金会")
    clerk = user_with_role("c", Role.FOUNDATION_CLERK, organisation=foundation)
    fund = services.fund_create(
        foundation=foundation,
        name="f",
        beneficiary="b",
        purpose="p",
        starts_on=clock.today() - dt.timedelta(days=5),
        actor=clerk,
    )
    services.donation_record(
        fund=fund,
        donor_name="d",
        amount="1.00",
        received_on=clock.today(),
        receipt_kind="declined",
        actor=clerk,
    )
    outcomes = []

    def spend():
        from django.db import connection as own

        try:
            services.disbursement_record(
                fund=Fund.objects.get(pk=fund.pk),
                amount="1.00",
                paid_on=clock.today(),
                beneficiary="b",
                purpose="p",
                actor=clerk,
            )
            outcomes.append("paid")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            own.close()

    threads = [threading.Thread(target=spend) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid"] + ["refused"] * 5
    assert selectors.fund_figures(fund).balance == 0
    assert sd.pk and PurposeConsent.objects.count() == 0


def test_grant_gives_the_business_roles_from_the_command_line(ledger):
    from django.core.management import call_command

    from gongzhi.accounts.models import Membership
    from gongzhi.accounts.scopes import scopes_for

    call_command(
        "grant", "foundation", "--phone", "13900001111", "--name", "刘会计",
        "--organisation", "仙霞社区基金会",
    )  # fmt: skip
    call_command(
        "grant", "economic", "--phone", "13900002222", "--name", "陈主任",
        "--sub-district", "仙霞新村街道",
    )  # fmt: skip
    clerk = Membership.objects.get(role=Role.FOUNDATION_CLERK, user__phone="13900001111").user
    assert scopes_for(clerk).foundations == {ledger["foundation"].pk}
    officer = Membership.objects.get(role=Role.ECONOMIC_OFFICER).user
    assert scopes_for(officer).economic_sub_districts == {ledger["foundation"].sub_district_id}
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):  # a foundation that does not exist
        call_command(
            "grant", "foundation", "--phone", "13900003333", "--name", "x",
            "--organisation", "不存在的基金会",
        )  # fmt: skip
