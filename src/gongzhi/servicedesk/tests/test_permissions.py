"""Who sees and does what, on the pages: each person, each request; a company never
sees another company's requests, a neighbour never sees a request they did not join,
and the reporter's name and phone are shown only to those who handle it."""

import pytest

from gongzhi.core.tests.clients import as_
from gongzhi.servicedesk.models import ServiceRequest, Status
from gongzhi.servicedesk.services import steps

from .conftest import T0

SEES = {
    "owner": True,  # the reporter
    "neighbour": False,  # same building, did not say "me too"
    "maotai_owner": False,
    "provider": True,  # the company handling it
    "worker": True,
    "other_company": False,
    "clerk": True,  # the area's staff
    "other_clerk": False,
    "committee": True,  # the compound's committee
    "official": True,
    "outsider": False,
}
WORKS = {"provider", "worker"}
SEES_CONTACT = {"provider", "worker", "clerk", "official"}


@pytest.mark.parametrize("who", sorted(SEES))
def test_the_request_page_for_each_person(client, desk, who):
    item = desk.report(place="unit", unit=desk.units["mine"])
    answer = as_(client, desk.users[who]).get(f"/requests/{item.pk}/")
    assert answer.status_code == (200 if SEES[who] else 404)
    if answer.status_code == 200:
        text = answer.content.decode()
        assert ('data-testid="actions"' in text) == (who in WORKS | {"clerk", "official"})
        assert ("13811112222" in text) == (who in SEES_CONTACT)
        # the unit number: its owner and those who handle it
        assert ("3-101" in text) == (who in SEES_CONTACT | {"owner"})


@pytest.mark.parametrize("who", sorted(SEES))
def test_accepting_for_each_person(client, desk, who):
    item = desk.report()
    answer = as_(client, desk.users[who]).post(f"/requests/{item.pk}/accept/")
    item.refresh_from_db()
    assert (item.status == Status.ACCEPTED) == (who in WORKS)
    if not SEES[who]:
        assert answer.status_code == 404


def test_the_queue_lists_only_what_the_reader_may_see(client, desk):
    mine = desk.report()
    other = desk.report("maotai_owner", compound=desk.maotai, description="大楼物业的")
    for who, scope, expected in (
        ("provider", "mine", {mine.pk}),
        ("other_company", "mine", {other.pk}),
        ("clerk", "mine", set()),  # both are with the companies
        ("clerk", "all", {mine.pk, other.pk}),  # but the clerk follows the whole area
        ("other_clerk", "all", set()),
        ("committee", "all", {mine.pk}),
        ("provider", "all", {mine.pk}),
    ):
        answer = as_(client, desk.users[who]).get(f"/requests/?status=all&scope={scope}")
        text = answer.content.decode()
        shown = {r.pk for r in ServiceRequest.objects.all() if f'href="/requests/{r.pk}/"' in text}
        assert shown == expected, who


def test_an_owner_sees_their_own_and_the_ones_they_joined(client, desk):
    own = desk.report()
    joined = desk.report("neighbour", description="楼道灯坏了")
    as_(client, desk.users["owner"]).post(f"/requests/{joined.pk}/me-too/")
    text = client.get("/requests/").content.decode()
    assert f"#{own.pk} " in text and f"#{joined.pk} " in text
    # and the neighbour's page now opens, without the neighbour's phone or unit
    assert client.get(f"/requests/{joined.pk}/").status_code == 200


def test_no_get_changes_anything(client, desk):
    item = desk.report()
    as_(client, desk.users["provider"])
    for step in ("accept", "start", "resolve", "defer", "return", "transfer", "close"):
        assert client.get(f"/requests/{item.pk}/{step}/").status_code == 405
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED


def test_assigning_many_is_limited_to_the_readers_queue(client, desk):
    mine = desk.report()
    other = desk.report("maotai_owner", compound=desk.maotai, description="大楼物业的")
    as_(client, desk.users["provider"]).post(
        "/requests/assign/",
        {"request": [mine.pk, other.pk], "executor": desk.users["worker"].pk},
    )
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.executor, other.executor) == (desk.users["worker"], None)


def test_photos_are_served_only_to_those_who_see_the_request(client, desk):
    from .conftest import photo

    item = desk.report(photos=[photo("漏水")])
    picture = item.photos.get()
    url = f"/requests/{item.pk}/photos/{picture.pk}/"
    assert as_(client, desk.users["owner"]).get(url).status_code == 200
    assert as_(client, desk.users["other_company"]).get(url).status_code == 404
    assert as_(client, desk.users["neighbour"]).get(url).status_code == 404


def test_staff_record_for_someone_else_only_in_their_compounds(desk):
    from gongzhi.core.errors import PermissionRefused

    with pytest.raises(PermissionRefused):
        desk.report("other_clerk", channel="phone", reporter_name="陈阿姨")
    with pytest.raises(PermissionRefused):
        desk.report("owner", channel="phone", reporter_name="替别人报")
    with pytest.raises(PermissionRefused):
        desk.report("owner", place="unit", unit=desk.units["neighbour"])


def test_the_executors_phone_page_lists_their_open_work(client, desk):
    item = desk.report()
    item = steps.request_accept(request=item, actor=desk.users["provider"], now=T0)
    steps.request_assign(request=item, executor=desk.users["worker"], actor=desk.users["provider"])
    text = as_(client, desk.users["worker"]).get("/requests/mine/").content.decode()
    assert f"#{item.pk} " in text
    assert (
        f"#{item.pk} "
        not in as_(client, desk.users["provider"]).get("/requests/mine/").content.decode()
    )
