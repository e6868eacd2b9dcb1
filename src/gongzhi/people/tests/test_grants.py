"""Who may invite whom: officials their sub-district's people, clerks their area's
committee members and companies' staff; nobody outside what they act for. The
invitation is an SMS with a link that sets a password once."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from gongzhi.accounts.models import Membership, Role, User
from gongzhi.accounts.scopes import scopes_for
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.models import AuditEvent
from gongzhi.core.tests.clients import as_
from gongzhi.core.tests.outbox import last_link, sms_sent
from gongzhi.people.events import PeopleEvent
from gongzhi.people.services.grants import person_grant, person_role_end
from gongzhi.registry.models import Neighbourhood, SubDistrict

pytestmark = pytest.mark.django_db
TERM = dt.date(2029, 6, 30)


def grant(actor, role, phone="13900000001", **scope):
    return person_grant(actor=actor, role=role, phone=phone, name="新人", **scope)


@pytest.mark.parametrize(
    "role,scope,allowed",
    [
        (Role.SUB_DISTRICT_OFFICIAL, "sub_district", True),
        (Role.CLERK, "area", True),
        (Role.CLERK, "other_area", True),
        (Role.COMMITTEE_MEMBER, "compound", True),
        (Role.COMPANY_STAFF, "company", True),
        (Role.EXPERT, None, True),
        (Role.COMPANY_STAFF, "far_company", False),
        (Role.COMMITTEE_MEMBER, "far_compound", False),
        (Role.OWNER, None, False),
    ],
)
def test_what_an_official_may_grant(town, role, scope, allowed):
    field = {
        "sub_district": "sub_district",
        "area": "neighbourhood",
        "other_area": "neighbourhood",
        "compound": "compound",
        "far_compound": "compound",
        "company": "company",
        "far_company": "company",
    }.get(scope)
    kwargs = {field: getattr(town, scope)} if scope else {}
    if role == Role.OWNER:
        kwargs = {"owner": town.owners["zhang"]}
    if role == Role.COMMITTEE_MEMBER:
        kwargs["term_ends_on"] = TERM
    if allowed:
        assert grant(town.official, role, **kwargs).role == role
    else:
        with pytest.raises(PermissionRefused):
            grant(town.official, role, **kwargs)
        assert not Membership.objects.filter(role=role, user__phone="13900000001").exists()


@pytest.mark.parametrize(
    "role,scope,allowed",
    [
        (Role.COMMITTEE_MEMBER, "compound", True),
        (Role.COMMITTEE_MEMBER, "other_compound", False),  # another area of the same sub-district
        (Role.COMPANY_STAFF, "company", True),
        (Role.COMPANY_STAFF, "far_company", False),
        (Role.CLERK, "area", False),  # a clerk cannot make a clerk
        (Role.SUB_DISTRICT_OFFICIAL, "sub_district", False),  # nor an official
        (Role.EXPERT, None, False),
    ],
)
def test_what_a_clerk_may_grant(town, role, scope, allowed):
    field = {
        "sub_district": "sub_district",
        "area": "neighbourhood",
        "compound": "compound",
        "other_compound": "compound",
        "company": "company",
        "far_company": "company",
    }.get(scope)
    kwargs = {field: getattr(town, scope)} if scope else {}
    if role == Role.COMMITTEE_MEMBER:
        kwargs["term_ends_on"] = TERM
    if allowed:
        assert grant(town.clerk, role, **kwargs).role == role
    else:
        with pytest.raises(PermissionRefused):
            grant(town.clerk, role, **kwargs)
        assert not User.objects.filter(phone="13900000001").exists()


def test_a_committee_member_needs_a_term_and_loses_the_role_after_it(town):
    with pytest.raises(ApplicationError, match="任期"):
        grant(town.clerk, Role.COMMITTEE_MEMBER, compound=town.compound)
    membership = grant(town.clerk, Role.COMMITTEE_MEMBER, compound=town.compound, term_ends_on=TERM)
    user = membership.user
    assert Membership.objects.current(on=TERM).filter(pk=membership.pk).exists()
    assert (
        not Membership.objects.current(on=TERM + dt.timedelta(days=1))
        .filter(pk=membership.pk)
        .exists()
    )
    assert town.compound.pk in scopes_for(user).committee_compounds


def test_a_company_in_the_district_pool_may_get_staff(town):
    from gongzhi.selection.models import PoolEntry, ProviderPool

    pooled = type(town.company).objects.create(name="池中物业", credit_code=_code(77))
    with pytest.raises(PermissionRefused):
        grant(town.clerk, Role.COMPANY_STAFF, company=pooled)
    pool = ProviderPool.objects.create(name="长宁区预选库", district="长宁区")
    PoolEntry.objects.create(
        pool=pool, company=pooled, admitted_on=dt.date(2026, 1, 1), valid_until=dt.date(2028, 1, 1)
    )
    assert grant(town.clerk, Role.COMPANY_STAFF, company=pooled).company == pooled


def _code(n):
    from gongzhi.core.identifiers import credit_code_check_character

    first17 = f"91310105{n:09d}"
    return first17 + credit_code_check_character(first17)


def test_the_invitation_link_sets_a_password_once_and_the_clerk_sees_the_area(client, town):
    membership = grant(
        town.official, Role.CLERK, phone="139 0000 0002", neighbourhood=town.other_area
    )
    (sms,) = sms_sent("13900000002")
    assert "法华居民区" in sms["text"] and "居委会工作人员" in sms["text"]
    link = last_link("13900000002")
    page = client.get(link)
    assert page.status_code == 200 and not membership.user.has_usable_password()
    membership.user.refresh_from_db()
    assert not membership.user.has_usable_password()  # opening the link changed nothing
    answer = client.post(link, {"password": "a-new-Passw0rd"})
    assert answer.status_code == 302
    client.logout()
    again = client.post(link, {"password": "another-Passw0rd"})
    assert again.status_code == 400
    client.post("/accounts/login/", {"username": "13900000002", "password": "a-new-Passw0rd"})
    compounds = client.get("/registry/compounds/").content.decode()
    assert "法华小区" in compounds and "番禺小区" not in compounds
    assert AuditEvent.objects.filter(event_type=PeopleEvent.PERSON_INVITED).count() == 1


def test_someone_with_an_account_gets_the_role_added_and_no_password_link(town):
    grant(town.official, Role.EXPERT, phone="13900000003")
    user = User.objects.get(phone="13900000003")
    user.set_password("pw-for-tests-1")
    user.save()
    grant(town.official, Role.CLERK, phone="13900000003", neighbourhood=town.area)
    texts = [m["text"] for m in sms_sent("13900000003")]
    assert len(texts) == 1  # the first invitation only
    assert set(scopes_for(User.objects.get(pk=user.pk)).neighbourhoods) == {town.area.pk}


def test_ending_a_role_keeps_it_as_history_and_takes_the_access(town):
    membership = grant(town.official, Role.CLERK, neighbourhood=town.area)
    with pytest.raises(PermissionRefused):
        person_role_end(actor=town.clerk, membership=membership)  # a clerk cannot end a clerk
    person_role_end(actor=town.official, membership=membership)
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert not scopes_for(User.objects.get(pk=membership.user_id)).neighbourhoods


def test_bad_input_is_refused_in_chinese_and_changes_nothing(town):
    with pytest.raises(ApplicationError, match="不是中国大陆手机号"):
        grant(town.official, Role.EXPERT, phone="12345")
    assert User.objects.count() == 2


def test_the_people_pages_follow_the_same_rules(client, town):
    as_(client, town.clerk)
    form = client.get("/people/invite/").content.decode()
    assert "居委会工作人员" not in form.split('name="role"')[1].split("</select>")[0]
    client.post(
        "/people/invite/",
        {"role": "clerk", "name": "越权", "phone": "13900000009", "neighbourhood": town.area.pk},
    )
    assert not User.objects.filter(phone="13900000009").exists()
    answer = client.post(
        "/people/invite/",
        {
            "role": "committee_member",
            "name": "周委员",
            "phone": "13900000010",
            "compound": town.compound.pk,
            "term_ends_on": "2029-06-30",
        },
    )
    assert answer.status_code == 302
    assert "周委员" in client.get("/people/").content.decode()
    other = Membership.objects.get(user__phone="13900000010")
    as_(client, None)
    assert client.get("/people/").status_code == 302
    owner = User.objects.create(username="o", phone="13900000011")
    as_(client, owner)
    assert client.get("/people/").status_code == 403
    assert client.post(f"/people/roles/{other.pk}/end/").status_code == 403
    assert client.get(f"/people/roles/{other.pk}/end/").status_code == 403


def test_the_grant_command_sets_up_the_first_official(town, capsys):
    call_command("create_area", district="长宁区", sub_district="新华路街道", area="番禺居民区")
    assert "无需操作" in capsys.readouterr().out
    call_command("create_area", district="长宁区", sub_district="江苏路街道", area="华山居民区")
    out = capsys.readouterr().out
    assert "江苏路街道" in out and "华山居民区" in out
    assert SubDistrict.objects.filter(name="江苏路街道").count() == 1
    assert Neighbourhood.objects.filter(name="华山居民区").count() == 1
    call_command("create_area", district="长宁区", sub_district="江苏路街道", area="华山居民区")
    assert "无需操作" in capsys.readouterr().out
    with pytest.raises(CommandError, match="登记在"):
        call_command("create_area", district="徐汇区", sub_district="江苏路街道", area="华山居民区")
    call_command("grant", "official", sub_district="江苏路街道", phone="13900000020", name="王芳")
    assert "王芳" in capsys.readouterr().out
    official = User.objects.get(phone="13900000020")
    assert scopes_for(official).sub_districts == {SubDistrict.objects.get(name="江苏路街道").pk}
    assert last_link("13900000020").startswith("/accounts/welcome/")
    with pytest.raises(CommandError, match="--area"):
        call_command("grant", "clerk", phone="13900000021", name="李")
    with pytest.raises(CommandError, match="没有名为"):
        call_command("grant", "clerk", area="不存在居民区", phone="13900000021", name="李")


def _clerks(area, count, start=0):
    from gongzhi.accounts.models import Role
    from gongzhi.registry.tests.factories import MembershipFactory, UserFactory

    for n in range(start, start + count):
        user = UserFactory(
            username=f"clerk{n:03d}", display_name=f"干事{n:03d}", phone=f"1390000{n:04d}"
        )
        MembershipFactory(user=user, role=Role.CLERK, neighbourhood=area)


def test_the_people_list_is_paged_and_searchable_in_constant_queries(client, town):
    """It stopped silently at 500 before; now every role holder is a page away, and
    a name or a mobile number finds one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    as_(client, town.clerk)
    _clerks(town.area, 10)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/people/").status_code == 200
    _clerks(town.area, 110, start=10)
    with CaptureQueriesContext(connection) as many:
        first = client.get("/people/").content.decode()
    assert len(many) == len(few)
    assert first.count('data-testid="person"') == 50 and 'rel="next"' in first
    last = client.get("/people/?page=3").content.decode()
    assert last.count('data-testid="person"') == 121 - 100  # 120 clerks and town's own
    found = client.get("/people/", {"q": "干事042"}).content.decode()
    assert found.count('data-testid="person"') == 1 and "干事042" in found
    assert (
        client.get("/people/", {"q": "13900000077"}).content.decode().count('data-testid="person"')
        == 1
    )
    nobody = client.get("/people/", {"q": "没有这个人"}).content.decode()
    assert 'data-testid="person"' not in nobody
