"""The permission matrix of the street's business services over the demo: every page
and endpoint of partners, the foundation and the featured merchants, for the public
and each persona, answers as the rules say (200 to whom it is for; a sign-in, 403 or
404 to everyone else — 404 where even the object's existence is not theirs)."""

import pytest

from gongzhi.accounts.models import User
from gongzhi.core.tests.clients import as_
from gongzhi.foundation.models import DisbursementEvidence, Donation, Fund
from gongzhi.merchants.models import Application, Certificate, Merchant, OutdatedReport
from gongzhi.partners.models import Agreement, AgreementStatus, Enterprise, Event
from gongzhi.registry.models import Organisation

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "owner", "clerk", "expert", "economic", "foundation", "district", "merchant"]
OPEN = set(PEOPLE)


def _urls():
    fund = Fund.objects.get()
    donation = Donation.objects.get()
    evidence = DisbursementEvidence.objects.get()
    body = Organisation.objects.get(name="仙霞社区基金会")
    shop = Merchant.objects.get(name="向野制果")
    revoked = Merchant.objects.get(name="旧时光奶茶（演示）")
    certificate = Certificate.objects.get(merchant=shop)
    application = Application.objects.filter(merchant=shop).get()
    strategic = Agreement.objects.get(kind="strategic")
    enterprise = Enterprise.objects.first()
    event = Event.objects.get(kind="market")
    report = OutdatedReport.objects.get()
    return [
        # (url, method, who gets 200 or 302-after-success)
        ("/foundation/", "get", OPEN),
        (f"/foundation/funds/{fund.pk}/", "get", OPEN),
        (f"/foundation/receipts/{donation.verify_token}/", "get", OPEN),
        ("/foundation/ledger/", "get", {"foundation"}),
        (f"/foundation/ledger/{body.pk}/ledger.xlsx", "get", {"foundation"}),
        (f"/foundation/donations/{donation.pk}/receipt.pdf", "get", {"foundation"}),
        (f"/foundation/evidence/{evidence.pk}/", "get", {"foundation"}),
        (f"/foundation/funds/{fund.pk}/donations/new/", "get", {"foundation"}),
        (f"/foundation/funds/{fund.pk}/disbursements/new/", "get", {"foundation"}),
        (f"/foundation/funds/{fund.pk}/consents/new/", "get", {"foundation"}),
        ("/merchants/", "get", OPEN),
        (f"/merchants/{shop.pk}/", "get", OPEN),
        (f"/merchants/{revoked.pk}/", "get", {"economic", "district"}),
        (f"/merchants/certificates/{certificate.number}/", "get", OPEN),
        (f"/merchants/certificates/{certificate.number}/certificate.pdf", "get", OPEN),
        ("/merchants/work/", "get", {"expert", "economic", "district", "merchant"}),
        ("/merchants/apply/", "get", {"economic", "merchant"}),
        ("/merchants/new/", "get", {"economic"}),
        (f"/merchants/{shop.pk}/edit/", "get", {"economic", "merchant"}),
        (
            f"/merchants/applications/{application.pk}/",
            "get",
            {"expert", "economic", "district", "merchant"},
        ),
        (f"/merchants/reports/{report.pk}/resolve/", "post", {"district"}),
        ("/partners/", "get", OPEN),
        (f"/partners/agreements/{strategic.pk}/", "get", OPEN),
        (f"/partners/events/{event.pk}/", "get", OPEN),
        ("/partners/work/", "get", {"economic"}),
        (f"/partners/enterprises/{enterprise.pk}/", "get", {"economic"}),
        ("/api/foundation/funds", "get", OPEN),
        ("/api/merchants/", "get", OPEN),
        (f"/api/certificates/{certificate.number}", "get", OPEN),
        ("/api/certificates/?status=revoked", "get", OPEN),
    ]


def test_every_business_page_answers_only_to_whom_it_is_for(seeded_demo, client):
    urls = _urls()
    wrong = []
    for person in PEOPLE:
        as_(client, None if person == "anonymous" else User.objects.get(username=person))
        for url, method, allowed in urls:
            if method == "post":  # a refused form says why and changes nothing
                before = OutdatedReport.objects.get().resolved_at
                client.post(url, {"resolution": "已核实", "verified": ""})
                after = OutdatedReport.objects.get().resolved_at
                if person in allowed and after is None:
                    wrong.append((person, url, "not handled", "should be allowed"))
                if person not in allowed and before is None and after is not None:
                    wrong.append((person, url, "handled", "should be refused"))
                continue
            response = client.get(url)
            ok = response.status_code == 200
            refused = response.status_code in (403, 404) or (
                response.status_code == 302 and "/accounts/login/" in response["Location"]
            )
            if person in allowed and not ok:
                wrong.append((person, url, response.status_code, "should be allowed"))
            if person not in allowed and not refused:
                wrong.append((person, url, response.status_code, "should be refused"))
    assert wrong == []


def test_drafts_and_private_funds_stay_private(seeded_demo, client):
    draft = Agreement.objects.filter(status=AgreementStatus.IN_FORCE).first()
    Agreement.objects.filter(pk=draft.pk).update(status=AgreementStatus.DRAFT)
    Fund.objects.update(published=False)
    assert client.get(f"/partners/agreements/{draft.pk}/").status_code == 404
    assert client.get(f"/foundation/funds/{Fund.objects.get().pk}/").status_code == 404
    assert client.get("/api/foundation/funds").json() == []
    token = Donation.objects.get().verify_token
    assert client.get(f"/foundation/receipts/{token}/").status_code == 404
