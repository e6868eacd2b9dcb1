"""Permission matrix for decisions: each role against each page and action."""

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.accounts.models import Role
from gongzhi.accounts.services import membership_grant
from gongzhi.core.tests.clients import as_
from gongzhi.registry.tests.factories import CompoundFactory, NeighbourhoodFactory, UserFactory
from gongzhi.voting.models import Ballot
from gongzhi.voting.services import decision_announce, decision_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(scene):
    """Besides the scene's people: a clerk and a committee member elsewhere, and the
    committee member of the decision's compound."""
    elsewhere = NeighbourhoodFactory(
        sub_district=scene.neighbourhood.sub_district, name="别的居民区"
    )
    other_compound = CompoundFactory(neighbourhood=elsewhere)
    other_clerk = UserFactory(username="other-clerk")
    membership_grant(user=other_clerk, role=Role.CLERK, actor=None, neighbourhood=elsewhere)
    committee = UserFactory(username="committee")
    membership_grant(
        user=committee, role=Role.COMMITTEE_MEMBER, actor=None, compound=scene.compound
    )
    other_committee = UserFactory(username="other-committee")
    membership_grant(
        user=other_committee, role=Role.COMMITTEE_MEMBER, actor=None, compound=other_compound
    )
    return {
        "clerk": scene.clerk,
        "official": scene.official,
        "other_clerk": other_clerk,
        "committee": committee,
        "other_committee": other_committee,
        "owner": scene.owner_user,
        "outsider": scene.outsider,
        "anonymous": None,
    }


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


# page -> roles that get it (others: 403, or a redirect to sign in for the anonymous)
PAGES = {
    "detail": {
        "clerk",
        "official",
        "other_clerk",
        "committee",
        "other_committee",
        "owner",
        "outsider",
        "anonymous",
    },
    "register": {
        "clerk",
        "official",
        "other_clerk",
        "committee",
        "other_committee",
        "owner",
        "outsider",
        "anonymous",
    },
    "results": {
        "clerk",
        "official",
        "other_clerk",
        "committee",
        "other_committee",
        "owner",
        "outsider",
        "anonymous",
    },
    "drive": {"clerk", "official", "committee"},
    "paper": {"clerk", "official"},
    "vote": {"owner"},
    "export.xlsx": {"clerk", "official"},
}
ROLES = [
    "clerk",
    "official",
    "other_clerk",
    "committee",
    "other_committee",
    "owner",
    "outsider",
    "anonymous",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_matrix(client, people, live, role, page):
    suffix = "" if page == "detail" else (page if page.endswith(".xlsx") else f"{page}/")
    response = as_(client, people[role]).get(f"/voting/{live.pk}/{suffix}")
    if role in PAGES[page]:
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response.url
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_only_organisers_enter_paper_ballots(client, people, live, role):
    item = live.items.get()
    body = {"compound": live.compounds.get().pk, "unit": "1-201", f"item-{item.pk}": "agree"}
    as_(client, people[role]).post(f"/voting/{live.pk}/paper/", body)
    assert Ballot.objects.exists() == (role in {"clerk", "official"})


@pytest.mark.parametrize("role", ROLES)
def test_only_organisers_change_the_decision(client, people, live, role):
    as_(client, people[role]).post(f"/voting/{live.pk}/act/cancel/", {"reason": "试图取消"})
    live.refresh_from_db()
    assert (live.status == "cancelled") == (role in {"clerk", "official"})


def test_public_pages_never_show_an_individual_choice(client, scene, live):
    from gongzhi.voting.services import ballot_enter_paper

    item = live.items.get()
    ballot_enter_paper(
        decision=live,
        entry=live.register.get(unit_number="1-201"),
        choices={item.pk: "disagree"},
        clerk=scene.clerk,
    )
    register = as_(client, None).get(f"/voting/{live.pk}/register/").content.decode()
    assert "1-201" in register  # units are published, their ballots are not
    for word in ("disagree", "abstain", "paper", "纸质票（工作人员录入）"):
        assert word not in register
    results = as_(client, None).get(f"/voting/{live.pk}/results/").content.decode()
    assert "1-201" not in results
