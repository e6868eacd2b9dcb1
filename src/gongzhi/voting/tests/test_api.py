"""The voting API: permission-checked like the pages, in the OpenAPI schema."""

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.voting.models import Ballot
from gongzhi.voting.services import codes_issue, decision_announce, decision_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(scene):
    now = timezone.now()
    decision = scene.decision(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=10)
    )
    decision = decision_announce(
        decision=decision, actor=scene.clerk, now=now - dt.timedelta(days=20)
    )
    return decision_open(decision=decision, actor=scene.clerk, now=now)


def test_schema_lists_the_voting_endpoints(client):
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert {
        "/api/voting/decisions",
        "/api/voting/decisions/{decision_id}",
        "/api/voting/decisions/{decision_id}/ballots",
        "/api/voting/decisions/{decision_id}/paper-ballots",
        "/api/voting/decisions/{decision_id}/progress",
        "/api/voting/decisions/{decision_id}/result",
        "/api/voting/ballots/with-code",
    } <= paths


def test_public_list_shows_announced_decisions_only(client, scene, live):
    scene.decision(title="草稿")
    titles = [d["title"] for d in client.get("/api/voting/decisions").json()]
    assert titles == [live.title]


def test_owner_casts_for_own_unit_and_is_refused_for_another(client, scene, live):
    client.force_login(scene.owner_user)
    item = live.items.get()
    mine = live.register.get(unit_number="1-101")
    response = client.post(
        f"/api/voting/decisions/{live.pk}/ballots",
        {"entry": mine.pk, "choices": {str(item.pk): "agree"}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()[0]["state"] == "effective"
    neighbour = live.register.get(unit_number="1-201")
    refused = client.post(
        f"/api/voting/decisions/{live.pk}/ballots",
        {"entry": neighbour.pk, "choices": {str(item.pk): "agree"}},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "登记册上您不是该房屋的业主。"
    assert Ballot.objects.count() == 1


def test_anonymous_cannot_cast(client, live):
    response = client.post(
        f"/api/voting/decisions/{live.pk}/ballots", {}, content_type="application/json"
    )
    assert response.status_code == 401


def test_paper_entry_only_for_organisers(client, scene, live):
    item = live.items.get()
    entry = live.register.get(unit_number="1-201")
    body = {"entry": entry.pk, "choices": {str(item.pk): "disagree"}}
    client.force_login(scene.owner_user)
    assert (
        client.post(
            f"/api/voting/decisions/{live.pk}/paper-ballots", body, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(scene.clerk)
    response = client.post(
        f"/api/voting/decisions/{live.pk}/paper-ballots", body, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()[0]["channel"] == "paper"


def test_bad_choice_is_a_400_with_the_reason(client, scene, live):
    client.force_login(scene.clerk)
    entry = live.register.get(unit_number="1-201")
    response = client.post(
        f"/api/voting/decisions/{live.pk}/paper-ballots",
        {"entry": entry.pk, "choices": {str(live.items.get().pk): "perhaps"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "perhaps" in response.json()["detail"]
    assert not Ballot.objects.exists()


def test_code_ballot_over_the_api(client, scene, live):
    entry = live.register.get(unit_number="1-202")
    code = codes_issue(decision=live, entries=[entry], actor=scene.clerk)[entry.pk]
    body = {"code": code, "phone_last4": "0004", "choices": {str(live.items.get().pk): "abstain"}}
    response = client.post("/api/voting/ballots/with-code", body, content_type="application/json")
    assert response.status_code == 200
    receipt = response.json()[0]["receipt"]
    check = client.get(f"/api/voting/decisions/{live.pk}/receipts/{receipt}").json()
    assert check["recorded"] is True and check["channel"] == "code"
    assert "choice" not in check


def test_progress_for_organisers_and_committee_not_owners(client, scene, live):
    client.force_login(scene.owner_user)
    assert client.get(f"/api/voting/decisions/{live.pk}/progress").status_code == 403
    client.force_login(scene.clerk)
    (row,) = client.get(f"/api/voting/decisions/{live.pk}/progress").json()
    assert row["total_heads"] == 4 and row["total_area"] == "340.00"
    assert row["participation_missing"] == {"heads": 3, "area": "226.67"}


def test_a_rejected_ballots_receipt_says_recorded_not_counted_on_page_and_api(client, scene, live):
    """The review's finding: the results page said "recorded" for a rejected ballot while
    the API said 404. One selector answers both."""
    from gongzhi.voting.services import ballot_cast_online, ballot_enter_paper

    entry = live.register.get(unit_number="1-101")
    item = live.items.get()
    ballot_enter_paper(decision=live, entry=entry, choices={item.pk: "agree"}, clerk=scene.clerk)
    (rejected,) = ballot_cast_online(
        decision=live, entry=entry, choices={item.pk: "disagree"}, user=scene.owner_user
    )
    assert rejected.state == "rejected" and rejected.receipt
    check = client.get(f"/api/voting/decisions/{live.pk}/receipts/{rejected.receipt}")
    assert check.status_code == 200
    body = check.json()
    assert body["recorded"] is True and body["counted"] is False
    assert "最先有效" in body["reason"] and "choice" not in body
    page = client.get(f"/voting/{live.pk}/results/?receipt={rejected.receipt}").content.decode()
    shown = page.split('data-testid="receipt-check">')[1].split("</p>")[0]
    assert "未计入" in shown and "最先有效" in shown
    missing = client.get(f"/api/voting/decisions/{live.pk}/receipts/NOSUCHCODE")
    assert missing.status_code == 404


def test_an_owner_confirms_receipt_over_the_api(client, scene, live):
    from gongzhi.voting.models import Delivery

    client.force_login(scene.owner_user)
    response = client.post(f"/api/voting/decisions/{live.pk}/receive")
    assert response.status_code == 200 and response.json() == {"units": 2}
    assert client.post(f"/api/voting/decisions/{live.pk}/receive").json() == {"units": 0}
    assert Delivery.objects.filter(method="online").count() == 2
    client.force_login(scene.outsider)
    refused = client.post(f"/api/voting/decisions/{live.pk}/receive")
    assert refused.status_code == 403 and "没有" in refused.json()["detail"]
