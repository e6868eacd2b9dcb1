"""Everyone lands where their work is: an owner on the open vote their units have not
voted in; a clerk on a work queue; a person without a role on how to claim their home;
a signed-in non-staff person is refused the back office, with a way back."""

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.core.tests.clients import as_
from gongzhi.registry.tests.factories import UserFactory
from gongzhi.voting.services import ballot_cast_online, decision_announce, decision_open
from gongzhi.voting.tests.conftest import scene  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(scene):  # noqa: F811
    now = timezone.now()
    decision = scene.decision(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=3)
    )
    decision_announce(decision=decision, actor=scene.clerk, now=now - dt.timedelta(days=20))
    decision_open(decision=decision, actor=scene.clerk, now=now)
    return decision


def test_signing_in_lands_on_my_page(client, scene):  # noqa: F811
    scene.owner_user.set_password("pw-for-tests-1")
    scene.owner_user.save()
    answer = client.post("/accounts/login/", {"username": "owner", "password": "pw-for-tests-1"})
    assert answer["Location"] == "/me/"


def test_an_owner_lands_on_the_open_vote_their_units_still_owe(client, scene, live):  # noqa: F811
    as_(client, scene.owner_user)
    page = client.get("/me/").content.decode()
    assert 'data-testid="open-vote"' in page and live.title in page
    assert "您有 2 套房屋尚未表决" in page
    item = live.items.get()
    for entry in live.register.filter(unit_number__in=["1-101", "1-301"]):
        ballot_cast_online(
            decision=live, entry=entry, choices={item.pk: "agree"}, user=scene.owner_user
        )
    page = client.get("/me/").content.decode()
    assert 'data-testid="go-vote"' not in page and "您的房屋均已表决" in page


def test_a_clerk_lands_on_a_work_queue_with_the_vote_closing_soon(client, scene, live):  # noqa: F811
    as_(client, scene.clerk)
    page = client.get("/me/").content.decode()
    assert 'data-testid="work-queue"' in page and 'data-testid="closing-votes"' in page
    assert "还需" in page  # how far from the thresholds


def test_someone_without_a_role_is_shown_how_to_claim(client, db):
    as_(client, UserFactory(username="nobody"))
    page = client.get("/me/").content.decode()
    assert 'data-testid="no-role"' in page and "/people/claim/" in page


def test_the_back_office_refuses_a_non_staff_person_without_a_loop(client, db):
    as_(client, UserFactory(username="nobody"))
    answer = client.get("/admin/", follow=True)
    assert answer.status_code == 403
    assert len(answer.redirect_chain) <= 3  # no loop
    assert "/me/" in answer.content.decode()  # a way back
