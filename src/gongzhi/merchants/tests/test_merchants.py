"""The featured-merchant certification: a panel checked like a tender's (with the
scheme's minimum), blind scores, the pass mark exactly, certificates that expire,
suspend and revoke with reasons, the public verification and directory, outdated
reports on the office's queue, and who may do what."""

import datetime as dt

import pytest

from gongzhi.accounts.models import Role
from gongzhi.core import clock
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.tests.clients import as_
from gongzhi.merchants import selectors, services
from gongzhi.merchants.models import (
    Application,
    ApplicationStatus,
    Certificate,
    Merchant,
    OutdatedReport,
)
from gongzhi.registry.tests.factories import user_with_role

pytestmark = pytest.mark.django_db

GOOD_CODE = "91310105MA1FL0XQ2P"  # GB 32100 check character P


def certify(s, scores=("35", "36", "18"), decide=True):
    application = services.application_submit(
        merchant=s["shop"], version=s["version"], statement="社区蛋糕店，青年创业", actor=s["econ"]
    )
    services.panel_set(application=application, reviewers=s["reviewers"], actor=s["officer"])
    for reviewer in s["reviewers"]:
        services.scores_submit(
            application=application,
            scores=dict(zip(["youth", "quality", "community"], scores, strict=True)),
            declared_no_conflict=True,
            actor=reviewer,
        )
    if not decide:
        return application
    return services.application_decide(
        application=application, certify=True, reasons="达标", actor=s["officer"]
    )


def test_nomination_review_and_certificate(scheme, client):
    certificate = certify(scheme)
    application = Application.objects.get()
    assert application.nominated_by == scheme["sd"]
    assert application.status == ApplicationStatus.CERTIFIED
    assert certificate.number == f"CNQC-{clock.today().year}-0001"
    assert (
        certificate.valid_until
        == dt.date(clock.today().year + 2, clock.today().month, clock.today().day)
        - dt.timedelta(days=1)
        or certificate.valid_until > clock.today()
    )
    page = client.get("/merchants/").content.decode()
    assert "向野制果" in page and "茅台路553号" in page and "<svg" in page
    data = client.get("/api/merchants/").json()
    assert data == [
        {
            "name": "向野制果",
            "address": "茅台路553号",
            "category": "bakery",
            "certificate": {
                "number": certificate.number,
                "valid_until": certificate.valid_until.isoformat(),
            },
        }
    ]
    check = client.get(f"/api/certificates/{certificate.number}").json()
    assert check["status"] == "valid" and check["merchant"] == {
        "name": "向野制果",
        "address": "茅台路553号",
    }
    assert client.get("/api/certificates/NOPE-1").status_code == 404
    pdf = client.get(f"/merchants/certificates/{certificate.number}/certificate.pdf")
    assert pdf.content.startswith(b"%PDF-")


def test_the_pass_mark_exactly(scheme):
    # means 23 + 30 + 17 = 70 exactly: passes
    application = certify(scheme, scores=("23", "30", "17"), decide=False)
    assert selectors.result(application).total == 70
    assert selectors.result(application).passed
    certificate = services.application_decide(
        application=application, certify=True, reasons="r", actor=scheme["officer"]
    )
    assert certificate is not None


def test_one_tenth_below_the_pass_mark_cannot_be_certified(scheme):
    application = services.application_submit(
        merchant=scheme["shop"], version=scheme["version"], statement="s", actor=scheme["econ"]
    )
    services.panel_set(
        application=application, reviewers=scheme["reviewers"], actor=scheme["officer"]
    )
    sheets = [("23", "30", "17"), ("23", "30", "17"), ("23", "30", "16.9")]
    for reviewer, values in zip(scheme["reviewers"], sheets, strict=True):
        services.scores_submit(
            application=application,
            scores=dict(zip(["youth", "quality", "community"], values, strict=True)),
            declared_no_conflict=True,
            actor=reviewer,
        )
    result = selectors.result(application)
    assert not result.passed and result.total_text == "69.97"
    with pytest.raises(ApplicationError, match="69.97"):
        services.application_decide(
            application=application, certify=True, reasons="r", actor=scheme["officer"]
        )
    assert not Certificate.objects.exists()
    services.application_decide(
        application=application, certify=False, reasons="未达标", actor=scheme["officer"]
    )
    assert Application.objects.get().status == ApplicationStatus.REFUSED


def test_scores_are_blind_checked_and_final(scheme, client):
    application = (
        certify(scheme, decide=False)
        if False
        else services.application_submit(
            merchant=scheme["shop"],
            version=scheme["version"],
            statement="s",
            actor=scheme["keeper"],
        )
    )
    assert application.nominated_by is None  # the shop applied itself
    services.panel_set(
        application=application, reviewers=scheme["reviewers"], actor=scheme["officer"]
    )
    first, second, _third = scheme["reviewers"]
    for bad in (
        {"youth": "41", "quality": "1", "community": "1"},
        {"youth": "1.25", "quality": "1", "community": "1"},
        {"youth": "x"},
    ):
        with pytest.raises(ApplicationError):
            services.scores_submit(
                application=application, scores=bad, declared_no_conflict=True, actor=first
            )
    with pytest.raises(ApplicationError):
        services.scores_submit(
            application=application,
            scores={"youth": "1", "quality": "1", "community": "1"},
            declared_no_conflict=False,
            actor=first,
        )
    services.scores_submit(
        application=application,
        scores={"youth": "39.5", "quality": "1", "community": "1"},
        declared_no_conflict=True,
        actor=first,
    )
    with pytest.raises(ApplicationError):
        services.scores_submit(
            application=application,
            scores={"youth": "1", "quality": "1", "community": "1"},
            declared_no_conflict=True,
            actor=first,
        )
    assert selectors.result(application) is None
    as_(client, second)
    page = client.get(f"/merchants/applications/{application.pk}/").content.decode()
    assert "39.5" not in page  # not before every member has scored
    with pytest.raises(PermissionRefused):
        services.scores_submit(
            application=application, scores={}, declared_no_conflict=True, actor=scheme["econ"]
        )
    with pytest.raises(ApplicationError):  # no decision before every score is in
        services.application_decide(
            application=application, certify=False, reasons="r", actor=scheme["officer"]
        )


def test_the_panel_is_checked_like_a_tenders(scheme):
    application = services.application_submit(
        merchant=scheme["shop"], version=scheme["version"], statement="s", actor=scheme["econ"]
    )
    laymen = [user_with_role(f"l{i}") for i in range(2)]
    for panel in (
        scheme["reviewers"][:2],
        scheme["reviewers"][:1] + laymen,
        scheme["reviewers"] + [scheme["reviewers"][0]],
    ):
        with pytest.raises(ApplicationError):
            services.panel_set(application=application, reviewers=panel, actor=scheme["officer"])
    with pytest.raises(PermissionRefused):
        services.panel_set(
            application=application, reviewers=scheme["reviewers"], actor=scheme["econ"]
        )
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_who_may_apply_or_nominate(scheme):
    with pytest.raises(PermissionRefused):
        services.application_submit(
            merchant=scheme["shop"],
            version=scheme["version"],
            statement="s",
            actor=scheme["other_econ"],
        )
    with pytest.raises(PermissionRefused):
        services.application_submit(
            merchant=scheme["shop"],
            version=scheme["version"],
            statement="s",
            actor=user_with_role("resident"),
        )
    services.application_submit(
        merchant=scheme["shop"], version=scheme["version"], statement="s", actor=scheme["keeper"]
    )
    with pytest.raises(ApplicationError):  # one application under way at a time
        services.application_submit(
            merchant=scheme["shop"], version=scheme["version"], statement="s", actor=scheme["econ"]
        )


def test_revocation_needs_a_reason_and_leaves_the_directory(scheme, client):
    certificate = certify(scheme)
    with pytest.raises(ApplicationError):
        services.certificate_change(
            certificate=certificate, action="revoke", reason="  ", actor=scheme["officer"]
        )
    with pytest.raises(PermissionRefused):
        services.certificate_change(
            certificate=certificate, action="revoke", reason="x", actor=scheme["econ"]
        )
    assert Certificate.objects.get().status == "valid"
    services.certificate_change(
        certificate=certificate,
        action="suspend",
        reason="食品安全抽检不合格，整改中",
        actor=scheme["officer"],
    )
    assert client.get("/api/merchants/").json() == []
    assert client.get(f"/api/certificates/{certificate.number}").json()["status"] == "suspended"
    services.certificate_change(
        certificate=certificate, action="reinstate", reason="", actor=scheme["officer"]
    )
    assert len(client.get("/api/merchants/").json()) == 1
    services.certificate_change(
        certificate=certificate, action="revoke", reason="已停止营业", actor=scheme["officer"]
    )
    revoked = client.get("/api/certificates/?status=revoked").json()
    assert [(c["number"], c["status"], c["reason"]) for c in revoked] == [
        (certificate.number, "revoked", "已停止营业")
    ]
    assert client.get(f"/merchants/{scheme['shop'].pk}/").status_code == 404
    with pytest.raises(ApplicationError):
        services.certificate_change(
            certificate=certificate, action="reinstate", reason="", actor=scheme["officer"]
        )


def test_a_certificate_expires_on_its_date(scheme):
    certificate = certify(scheme)
    last = certificate.valid_until
    assert certificate.status_on(last) == "valid"
    assert certificate.status_on(last + dt.timedelta(days=1)) == "expired"
    assert list(selectors.directory(last + dt.timedelta(days=1))) == []
    assert list(selectors.directory(last)) == [scheme["shop"]]


def test_credit_codes_are_checked(scheme):
    with pytest.raises(ApplicationError, match="91310105MA1FL0XQ2D"):
        services.merchant_save(
            actor=scheme["econ"],
            merchant=scheme["shop"],
            sub_district=scheme["sd"],
            name="向野制果",
            address="茅台路553号",
            category="bakery",
            credit_code="91310105MA1FL0XQ2D",
        )
    assert Merchant.objects.get().organisation.credit_code == ""
    services.merchant_save(
        actor=scheme["keeper"],
        merchant=scheme["shop"],
        sub_district=scheme["sd"],
        name="向野制果",
        address="茅台路553号",
        category="bakery",
        credit_code=GOOD_CODE.lower(),
    )
    assert Merchant.objects.get().organisation.credit_code == GOOD_CODE


def test_outdated_reports_reach_the_office_queue(scheme, client):
    certify(scheme)
    shop = scheme["shop"]
    response = client.post(f"/merchants/{shop.pk}/outdated/", {"reason": "已搬到虹古路"})
    assert response.status_code == 302
    report = OutdatedReport.objects.get()
    assert list(selectors.open_reports_for(scheme["officer"])) == [report]
    assert list(selectors.open_reports_for(scheme["econ"])) == []
    with pytest.raises(PermissionRefused):
        services.outdated_resolve(
            report=report, resolution="x", verified=True, actor=scheme["econ"]
        )
    services.outdated_resolve(
        report=report, resolution="已核实并更新地址", verified=True, actor=scheme["officer"]
    )
    assert Merchant.objects.get().verified_on == clock.today()
    for _ in range(5):
        client.post(f"/merchants/{shop.pk}/outdated/", {"reason": "x"})
    assert client.post(f"/merchants/{shop.pk}/outdated/", {"reason": "x"}).status_code == 429


def test_the_shops_sub_district_invites_its_merchant(scheme, client):
    from gongzhi.accounts.models import Membership
    from gongzhi.accounts.scopes import scopes_for

    shop = scheme["shop"]
    as_(client, scheme["other_econ"])
    client.post(f"/merchants/{shop.pk}/invite/", {"name": "店主", "phone": "13911112222"})
    assert not Membership.objects.filter(user__phone="13911112222").exists()
    as_(client, scheme["econ"])
    response = client.post(
        f"/merchants/{shop.pk}/invite/", {"name": "店主", "phone": "13911112222"}
    )
    assert response.status_code == 302
    invited = Membership.objects.get(user__phone="13911112222", role=Role.MERCHANT).user
    assert scopes_for(invited).merchant_organisations == {shop.organisation_id}
    assert not invited.has_usable_password()  # sets it from the SMS link
    with pytest.raises(PermissionRefused):
        from gongzhi.people.services.grants import person_grant

        person_grant(
            actor=scheme["keeper"], role=Role.MERCHANT, phone="13911113333", name="x",
            organisation=shop.organisation,
        )  # fmt: skip
