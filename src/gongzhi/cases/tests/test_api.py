"""Cases over JSON: public milestones for everyone, the timeline and meetings for those
who follow the case, a committee member only their own compound."""

import pytest

from .conftest import case_with_task_force as formed

pytestmark = pytest.mark.django_db


def test_schema_lists_the_case_endpoints(client):
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert {
        "/api/cases/",
        "/api/cases/{case_id}/milestones",
        "/api/cases/{case_id}/timeline",
        "/api/cases/{case_id}/meetings",
    } <= paths


def test_anyone_reads_the_milestones_without_personal_data(client, world):
    case = formed(world)
    listed = client.get("/api/cases/").json()
    assert [(c["title"], c["stage_label"]) for c in listed] == [
        ("水霞居民区物业集约化", "成立工作专班")
    ]
    response = client.get(f"/api/cases/{case.pk}/milestones")
    body = response.json()
    reached = [m["stage"] for m in body["milestones"] if m["reached_at"]]
    assert reached == ["opened", "task_force"]
    assert len(body["milestones"]) == 12
    assert body["case"]["compounds"] == ["水霞小区", "茅台雅苑"]
    assert body["counts"]["meetings"] == 0  # planned, not held
    text = response.content.decode()
    assert "赵书记" not in text and "李干事" not in text and "clerk" not in text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 401),
        ("outsider", 403),
        ("owner", 403),
        ("other_clerk", 403),
        ("clerk", 200),
        ("official", 200),
        ("committee_maotai", 200),
    ],
)
def test_timeline_and_meetings_matrix(client, world, who, status):
    case = formed(world)
    if who:
        client.force_login(world.users[who])
    assert client.get(f"/api/cases/{case.pk}/timeline").status_code == status
    assert client.get(f"/api/cases/{case.pk}/meetings").status_code == status


def test_the_timeline_says_what_is_missing_and_a_committee_sees_its_own_compound(client, world):
    case = formed(world)
    client.force_login(world.users["clerk"])
    rows = client.get(f"/api/cases/{case.pk}/timeline").json()
    following = next(r for r in rows if r["is_next"])
    assert following["stage"] == "engagement"
    assert {m["compound"] for m in following["missing"]} == {"水霞小区", "茅台雅苑"}
    assert any("仙霞物业" in m["text"] for m in following["missing"])
    assert [c["compound"] for c in following["compounds"]] == ["水霞小区", "茅台雅苑"]
    assert len(client.get(f"/api/cases/{case.pk}/meetings").json()) == 2

    client.force_login(world.users["committee_maotai"])
    rows = client.get(f"/api/cases/{case.pk}/timeline").json()
    following = next(r for r in rows if r["is_next"])
    assert {m["compound"] for m in following["missing"]} == {"茅台雅苑"}
    assert [c["compound"] for c in following["compounds"]] == ["茅台雅苑"]
    meetings = client.get(f"/api/cases/{case.pk}/meetings").json()
    assert [m["title"] for m in meetings] == ["茅台雅苑征询会"]
    assert meetings[0]["kind_label"] == "征询会"
