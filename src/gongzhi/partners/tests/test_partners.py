"""Partners and agreements: guarded steps with reasons, dates in order, commitments
with a responsible party, overdue flags, expiry by the worker with a reminder once,
the pipeline moving only forward, and the public part of an agreement."""

import datetime as dt

import pytest

from gongzhi.accounts.models import Role
from gongzhi.core import clock
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.tests.clients import as_
from gongzhi.notifications.models import Notification
from gongzhi.partners import selectors, services
from gongzhi.partners.models import Agreement, Commitment, Enterprise
from gongzhi.registry.models import Organisation
from gongzhi.registry.tests.factories import SubDistrictFactory, user_with_role

pytestmark = pytest.mark.django_db
TODAY = clock.today


@pytest.fixture
def street():
    sd = SubDistrictFactory(name="仙霞新村街道")
    officer = user_with_role("econ", Role.ECONOMIC_OFFICER, sub_district=sd)
    office = services.organisation_save(
        sub_district=sd, kind="sub_district_office", name="仙霞新村街道办事处", actor=officer
    )
    chamber = services.organisation_save(
        sub_district=sd,
        kind="chamber_of_commerce",
        name="上海市云南商会",
        actor=officer,
        contact_name="张会长",
        contact_phone="13800138000",
    )
    return {
        "sd": sd,
        "officer": officer,
        "office": office,
        "chamber": chamber,
        "stranger": user_with_role(
            "other", Role.ECONOMIC_OFFICER, sub_district=SubDistrictFactory()
        ),
    }


def draft(s, **extra):
    fields = {
        "sub_district": s["sd"],
        "kind": "strategic",
        "title": "全面战略合作协议",
        "parties": [(s["office"], "街道主任", "甲方"), (s["chamber"], "会长", "乙方")],
        "signed_on": TODAY() - dt.timedelta(days=30),
        "expires_on": TODAY() + dt.timedelta(days=365 * 3),
        "actor": s["officer"],
    }
    fields.update(extra)
    return services.agreement_create(**fields)


def test_an_agreement_from_draft_to_in_force_and_its_public_part(street, client):
    agreement = draft(street)
    assert client.get(f"/partners/agreements/{agreement.pk}/").status_code == 404  # a draft
    services.agreement_step(agreement=agreement, step="sign", actor=street["officer"])
    services.agreement_step(agreement=agreement, step="bring_into_force", actor=street["officer"])
    commitment = services.commitment_add(
        agreement=agreement,
        title="联合招商活动（下半年）",
        owner=street["chamber"],
        due_on=TODAY() + dt.timedelta(days=60),
        actor=street["officer"],
    )
    page = client.get(f"/partners/agreements/{agreement.pk}/").content.decode()
    assert "联合招商活动" in page and "上海市云南商会" in page
    assert (
        "张会长" not in page
        and "13800138000" not in page
        and "会长" not in page.split("commitments")[0].split("Parties")[-1]
    )
    assert Agreement.objects.get().status == "in_force"
    assert commitment.overdue_on(commitment.due_on) is False
    assert commitment.overdue_on(commitment.due_on + dt.timedelta(days=1)) is True


def test_bad_agreements_are_refused_and_nothing_written(street):
    with pytest.raises(ApplicationError):  # expiry before signing
        draft(street, expires_on=TODAY() - dt.timedelta(days=31))
    with pytest.raises(ApplicationError):  # expiry on the signing day
        draft(street, expires_on=TODAY() - dt.timedelta(days=30))
    with pytest.raises(ApplicationError):
        draft(street, parties=[(street["office"], "", "")])
    with pytest.raises(PermissionRefused):
        draft(street, actor=street["stranger"])
    assert not Agreement.objects.exists()


def test_commitments_name_a_party_and_close_with_evidence(street):
    agreement = draft(street)
    outsider = Organisation.objects.create(kind="enterprise", name="局外公司")
    for owner in (None, outsider):
        with pytest.raises(ApplicationError):
            services.commitment_add(
                agreement=agreement, title="x", owner=owner, due_on=TODAY(), actor=street["officer"]
            )
    commitment = services.commitment_add(
        agreement=agreement,
        title="党建共建活动",
        owner=street["office"],
        due_on=TODAY() - dt.timedelta(days=1),
        actor=street["officer"],
    )
    assert list(selectors.overdue_commitments(street["officer"], TODAY())) == [commitment]
    assert list(selectors.overdue_commitments(street["stranger"], TODAY())) == []
    with pytest.raises(ApplicationError):
        services.commitment_done(
            commitment=commitment, done_on=TODAY(), evidence=" ", actor=street["officer"]
        )
    services.commitment_done(
        commitment=commitment, done_on=TODAY(), evidence="活动照片与签到表", actor=street["officer"]
    )
    assert list(selectors.overdue_commitments(street["officer"], TODAY())) == []
    with pytest.raises(ApplicationError):
        services.commitment_done(
            commitment=Commitment.objects.get(),
            done_on=TODAY(),
            evidence="again",
            actor=street["officer"],
        )


def test_termination_needs_a_reason_and_expiry_is_the_workers(street):
    agreement = draft(street, expires_on=TODAY() + dt.timedelta(days=10))
    services.agreement_step(agreement=agreement, step="sign", actor=street["officer"])
    with pytest.raises(ApplicationError):
        services.agreement_step(
            agreement=agreement, step="terminate", reason="", actor=street["officer"]
        )
    services.agreement_step(agreement=agreement, step="bring_into_force", actor=street["officer"])
    assert services.expiry_reminders(TODAY()) == 1
    assert services.expiry_reminders(TODAY()) == 0  # once
    assert Notification.objects.filter(user=street["officer"]).count() == 1
    assert services.agreements_expire(agreement.expires_on) == 0  # still in force on its last day
    assert services.agreements_expire(agreement.expires_on + dt.timedelta(days=1)) == 1
    assert Agreement.objects.get().status == "expired"
    with pytest.raises(ApplicationError):
        services.agreement_step(
            agreement=Agreement.objects.get(), step="terminate", reason="x", actor=street["officer"]
        )


def test_the_pipeline_moves_forward_only_and_counts_per_partner(street):
    enterprise = services.enterprise_add(
        sub_district=street["sd"],
        name="云南某咖啡贸易有限公司",
        recommended_by=street["chamber"],
        actor=street["officer"],
        since=TODAY() - dt.timedelta(days=20),
    )
    services.enterprise_stage(
        enterprise=enterprise, stage="settled", on=TODAY(), actor=street["officer"]
    )
    with pytest.raises(ApplicationError):
        services.enterprise_stage(
            enterprise=Enterprise.objects.get(),
            stage="registered",
            on=TODAY(),
            actor=street["officer"],
        )
    services.service_record(
        enterprise=enterprise,
        kind="problem",
        on=TODAY() - dt.timedelta(days=3),
        summary="协调办公场地",
        problem="缺少办公场地",
        solved_on=TODAY(),
        actor=street["officer"],
    )
    with pytest.raises(ApplicationError):
        services.service_record(
            enterprise=enterprise,
            kind="visit",
            on=TODAY() + dt.timedelta(days=1),
            summary="x",
            actor=street["officer"],
        )
    services.enterprise_add(sub_district=street["sd"], name="另一家企业", actor=street["officer"])
    counts = selectors.counts_per_partner(selectors.pipeline(street["officer"]))
    assert counts == [("上海市云南商会", [0, 0, 1, 0], 1), ("", [1, 0, 0, 0], 1)]
    with pytest.raises(ApplicationError, match="信用代码"):
        services.enterprise_add(
            sub_district=street["sd"], name="x", code="91310105MA1FL0XQ2D", actor=street["officer"]
        )


def test_pages_are_the_officers(street, client):
    agreement = draft(street)
    as_(client, user_with_role("resident"))
    assert client.get("/partners/work/").status_code == 403
    as_(client, street["stranger"])
    assert "全面战略合作协议" not in client.get("/partners/work/").content.decode()
    assert client.post(f"/partners/agreements/{agreement.pk}/sign/").status_code == 404
    as_(client, street["officer"])
    assert client.get("/partners/work/").status_code == 200
    response = client.post(
        f"/partners/agreements/{agreement.pk}/sign/", {"signed_on": TODAY().isoformat()}
    )
    assert response.status_code == 302
    assert Agreement.objects.get().status == "signed"
    assert client.post(f"/partners/agreements/{agreement.pk}/explode/").status_code == 404
