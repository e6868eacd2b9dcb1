"""Owners without a mobile or ID number on the roll: an activation letter with a
one-time code, or a clerk who checks their papers in person."""

import io

import pytest
from pypdf import PdfReader

from gongzhi.accounts.models import Membership
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.models import AuditEvent, Job
from gongzhi.core.tests.clients import as_
from gongzhi.core.tests.outbox import last_code
from gongzhi.core.tests.queue import drain
from gongzhi.people.events import PeopleEvent
from gongzhi.people.models import ActivationCode
from gongzhi.people.services import claims
from gongzhi.registry.selectors import owned_units

from .conftest import id_number

pytestmark = pytest.mark.django_db
PASSWORD = "a-new-Passw0rd"


def print_letters(client, town, which="without_contact"):
    as_(client, town.clerk)
    answer = client.post("/people/letters/", {"compound": town.compound.pk, "which": which})
    assert answer.status_code == 302
    job = Job.objects.get()
    assert answer["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "queued"  # printed in the background, not in the request
    drain()
    job.refresh_from_db()
    assert job.status == "done", job.message
    return job


def test_letters_are_printed_in_the_background_one_page_per_unit_and_owner(client, town):
    job = print_letters(client, town)
    reader = PdfReader(io.BytesIO(job.result.read()))
    assert len(reader.pages) == 1  # only 赵敏 has neither mobile nor ID
    text = reader.pages[0].extract_text()
    assert "2号楼" in text and "102" in text and "赵*" in text and "激活码" in text
    Job.objects.all().delete()
    job = print_letters(client, town, which="all")
    assert len(PdfReader(io.BytesIO(job.result.read())).pages) == 4  # 1-101, 2-101 ×2, 2-102
    assert ActivationCode.objects.filter(used_at__isnull=True).count() == 4


def _letter_code(job):
    import re

    text = PdfReader(io.BytesIO(job.result.read())).pages[0].extract_text()
    return re.search(r"激活码：([A-Z0-9]{5}-[A-Z0-9]{5})", text).group(1)


def test_a_letter_activates_an_account_once(client, town):
    code = _letter_code(print_letters(client, town))
    assert code.replace("-", "") not in " ".join(
        ActivationCode.objects.values_list("code_hash", flat=True)
    )
    client.logout()
    page = client.get(f"/people/activate/?code={code}")
    assert code in page.content.decode()
    client.post("/people/activate/", {"code": code, "phone": "13922220000"})
    answer = client.post(
        "/people/activate/confirm/",
        {"phone": "13922220000", "code": last_code("13922220000"), "password": PASSWORD},
    )
    assert answer.status_code == 302
    user = Membership.objects.get(owner=town.owners["nocontact"]).user
    assert list(owned_units(user)) == [town.units["2-102"]]
    claims.activation_start(code=code, phone="13922220001", address="10.0.0.5")
    from gongzhi.core.tests.outbox import sms_sent

    assert sms_sent("13922220001") == []  # used: no code for a second person


def test_a_wrong_letter_code_sends_nothing(client, town):
    print_letters(client, town)
    from gongzhi.core.tests.outbox import sms_sent

    claims.activation_start(code="ABCDE-FGHJK", phone="13922220002", address="10.0.0.6")
    assert sms_sent("13922220002") == []


def test_linking_in_person_needs_both_papers_and_a_matching_id_card(town):
    unit, owner = town.units["1-101"], town.owners["zhang"]
    link = lambda **kw: claims.owner_link_in_person(  # noqa: E731
        actor=town.clerk, owner=owner, unit=unit, phone="13811110001", name="张伟", **kw
    )
    with pytest.raises(ApplicationError, match="现场核验"):
        link(documents=["id_card"], id_number=id_number(1))
    with pytest.raises(ApplicationError, match="输入证件上的号码"):
        link(documents=["id_card", "property_certificate"])
    with pytest.raises(ApplicationError, match="不一致"):
        link(documents=["id_card", "property_certificate"], id_number=id_number(2))
    assert not Membership.objects.filter(owner=owner).exists()
    membership = link(documents=["id_card", "property_certificate"], id_number=id_number(1))
    event = AuditEvent.objects.get(event_type=PeopleEvent.OWNER_LINKED_IN_PERSON)
    assert event.actor == town.clerk
    assert (
        event.new["checked"] == ["id_card", "property_certificate"]
        and event.new["id_number_compared"]
    )
    assert id_number(1) not in str(event.new)
    assert list(owned_units(membership.user)) == [unit]


def test_a_clerk_of_another_area_cannot_link(town):
    from gongzhi.accounts.models import Role
    from gongzhi.registry.tests.factories import user_with_role

    stranger = user_with_role("stranger", Role.CLERK, neighbourhood=town.other_area)
    with pytest.raises(PermissionRefused):
        claims.owner_link_in_person(
            actor=stranger,
            owner=town.owners["nocontact"],
            unit=town.units["2-102"],
            phone="13922220003",
            name="赵敏",
            documents=["id_card", "property_certificate"],
        )


def test_the_in_person_page_finds_the_unit_by_building_and_room(client, town):
    as_(client, town.clerk)
    page = client.get(f"/people/in-person/?compound={town.compound.pk}&building=2号楼&room=101")
    html = page.content.decode()
    assert html.count('data-testid="owner-card"') == 2 and "李娜" in html and "王强" in html
    assert not Membership.objects.filter(role="owner").exists()  # finding changed nothing
    answer = client.post(
        f"/people/in-person/units/{town.units['2-102'].pk}/link/",
        {
            "owner": town.owners["nocontact"].pk,
            "phone": "13922220004",
            "name": "赵敏",
            "id_card": "on",
            "property_certificate": "on",
        },
    )
    assert answer.status_code == 302
    assert Membership.objects.filter(owner=town.owners["nocontact"]).exists()
