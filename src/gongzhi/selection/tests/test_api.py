"""Selection over JSON: only what the public may read — published plans, the posted
ranking and the public part of contracts. Drafts, bids and scores are not there."""

import datetime as dt

import pytest

from gongzhi.selection import services

from .test_services import NOW, bid, make_plan, panel

pytestmark = pytest.mark.django_db


def test_schema_lists_the_selection_endpoints(client):
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert {
        "/api/selection/plans",
        "/api/selection/plans/{plan_id}",
        "/api/selection/plans/{plan_id}/ranking",
        "/api/selection/contracts",
        "/api/selection/contracts/{contract_id}",
    } <= paths


def test_a_draft_plan_is_not_public(client, pool, passed_decision):
    plan = make_plan(pool, passed_decision)
    assert client.get("/api/selection/plans").json() == []
    assert client.get(f"/api/selection/plans/{plan.pk}").status_code == 404
    client.force_login(pool.users["fangyuan"])
    assert client.get(f"/api/selection/plans/{plan.pk}").status_code == 404


def test_published_plan_ranking_and_contract(client, pool, passed_decision):
    clerk = pool.users["clerk"]
    plan = services.plan_publish(plan=make_plan(pool, passed_decision), actor=clerk, now=NOW)
    listed = client.get("/api/selection/plans").json()
    assert [p["title"] for p in listed] == ["水霞小区物业服务企业选聘"]
    labels = [(c["label"], c["max"], c["price"]) for c in listed[0]["criteria"]]
    assert labels[0] == ("管理方案", "25", False) and labels[-1][2] is True
    assert "以质论价" in listed[0]["formula"] and listed[0]["ranking"] is None
    missing = client.get(f"/api/selection/plans/{plan.pk}/ranking")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "候选企业排名尚未公示。"

    fangyuan, hongqiao = bid(pool, plan, "纺原物业", "1.80"), bid(pool, plan, "虹桥物业", "1.20")
    members = panel(pool, plan)
    closes = NOW + dt.timedelta(days=11)
    services.panel_open(plan=plan, actor=clerk, now=closes)
    good = {"plan": "22", "staffing": "18", "standards": "18", "record": "13"}
    poor = {"plan": "12", "staffing": "10", "standards": "9", "record": "8"}
    for member in members:
        services.score_submit(
            member=member, values={fangyuan.pk: good, hongqiao.pk: poor}, user=member.user
        )
    services.panel_close(plan=plan, actor=clerk, now=closes + dt.timedelta(hours=2))
    services.ranking_publish(
        plan=plan,
        posted_from=closes + dt.timedelta(days=1),
        posted_until=closes + dt.timedelta(days=4),
        actor=clerk,
    )
    body = client.get(f"/api/selection/plans/{plan.pk}/ranking").json()
    assert [(c["rank"], c["company"]) for c in body["candidates"]] == [
        (1, "纺原物业"),
        (2, "虹桥物业"),
    ]
    assert set(body["candidates"][0]) == {"rank", "company", "quality", "price_points", "total"}
    assert client.get(f"/api/selection/plans/{plan.pk}").json()["ranking"] == (
        f"/api/selection/plans/{plan.pk}/ranking"
    )

    contract = services.contract_record(
        plan=plan,
        company=pool.companies["纺原物业"],
        compounds=[pool.compound],
        fees={"residential": "1.80", "parking": "0.50"},
        service_items=[{"item": "保洁", "level": "一级"}],
        public_revenue_share="70",
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2029, 6, 30),
        signed_on=dt.date(2026, 6, 20),
        actor=clerk,
    )
    public = client.get(f"/api/selection/contracts/{contract.pk}").json()
    assert public["company"] == "纺原物业" and public["compounds"] == [pool.compound.name]
    assert public["fees"] == [
        {"property_type": "住宅", "yuan_per_m2_month": "1.80"},
        {"property_type": "车位", "yuan_per_m2_month": "0.50"},
    ]
    assert public["public_revenue_share"] == "70.00"
    assert [c["id"] for c in client.get("/api/selection/contracts").json()] == [contract.pk]
