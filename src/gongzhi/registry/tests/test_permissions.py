"""Permission matrix: each role × each object, through the pages and the API.

A refusal must happen on direct URL access too: a page or API call for someone
else's unit answers 403 with the reason, never the data.
"""

import pytest

pytestmark = pytest.mark.django_db

ROLES = ["superuser", "official", "clerk", "committee", "owner", "company", "expert", "outsider"]

# role -> compounds whose overview the role may open
COMPOUND_ACCESS = {
    "superuser": {"A", "B", "C", "D"},
    "official": {"A", "B", "C"},  # all of sub-district 1
    "clerk": {"A", "B"},  # residents' area n1
    "committee": {"A"},
    "owner": {"A"},  # owns a1 in A
    "company": {"A"},  # serves A
    "expert": set(),
    "outsider": set(),
}
UNIT_ACCESS = {
    "superuser": {"a1", "a2", "c1", "d1"},
    "official": {"a1", "a2", "c1"},
    "clerk": {"a1", "a2"},
    "committee": {"a1", "a2"},
    "owner": {"a1"},  # only their own unit, not the neighbour's
    "company": set(),
    "expert": set(),
    "outsider": set(),
}
ROLL_ACCESS = {"superuser", "official", "clerk", "committee"}  # building pages of A
IMPORT_ACCESS = {"superuser", "official", "clerk"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("compound", ["A", "B", "C", "D"])
def test_compound_page(world, client_for, role, compound):
    target = world.compounds[compound]
    response = client_for(role).get(f"/registry/compounds/{target.pk}/")
    expected = 200 if compound in COMPOUND_ACCESS[role] else 403
    assert response.status_code == expected
    if expected == 403:
        assert target.name in response.content.decode()  # the reason names it
        assert "legal-totals" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("compound", ["A", "B", "C", "D"])
def test_compound_api(world, client_for, role, compound):
    target = world.compounds[compound]
    response = client_for(role).get(f"/api/registry/compounds/{target.pk}")
    assert response.status_code == (200 if compound in COMPOUND_ACCESS[role] else 403)


@pytest.mark.parametrize("role", ROLES)
def test_compound_list_shows_exactly_the_allowed(world, client_for, role):
    client = client_for(role)
    listed = {c["name"][0] for c in client.get("/api/registry/compounds").json()}
    assert listed == COMPOUND_ACCESS[role]
    page = client.get("/registry/compounds/").content.decode()
    for letter, compound in world.compounds.items():
        assert (f"/registry/compounds/{compound.pk}/" in page) == (letter in COMPOUND_ACCESS[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("unit", ["a1", "a2", "c1", "d1"])
def test_unit_page_and_api(world, client_for, role, unit):
    target = world.units[unit]
    client = client_for(role)
    allowed = unit in UNIT_ACCESS[role]
    page = client.get(f"/registry/units/{target.pk}/")
    api = client.get(f"/api/registry/units/{target.pk}")
    assert page.status_code == (200 if allowed else 403)
    assert api.status_code == (200 if allowed else 403)
    if not allowed:
        owner_name = target.owners.get().name
        assert owner_name not in page.content.decode()
        assert owner_name not in api.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_building_roll_page_and_api(world, client_for, role):
    building = world.buildings["A1"]
    client = client_for(role)
    allowed = role in ROLL_ACCESS
    assert client.get(f"/registry/buildings/{building.pk}/").status_code == (
        200 if allowed else 403
    )
    assert client.get(f"/api/registry/buildings/{building.pk}/units").status_code == (
        200 if allowed else 403
    )


@pytest.mark.parametrize("role", ROLES)
def test_import_page(world, client_for, role):
    response = client_for(role).get("/registry/import/")
    assert response.status_code == (200 if role in IMPORT_ACCESS else 403)


def test_clerk_cannot_import_into_another_area_by_posting_its_id(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("clerk")
    upload = SimpleUploadedFile("r.csv", b"compound,unit,area,owners\nE,1,60,O-1\n")
    response = client.post(
        "/registry/import/",
        {"neighbourhood": world.neighbourhoods["n2"].pk, "file": upload},
    )
    # n2 is not offered to this clerk: the form refuses the choice, nothing is written.
    assert response.status_code == 200
    assert "E" not in {c.name for c in world.neighbourhoods["n2"].compounds.all()}
    from gongzhi.registry.models import Compound

    assert not Compound.objects.filter(name="E").exists()


def test_anonymous_is_sent_to_sign_in_and_api_says_401(world, client_for):
    client = client_for(None)
    response = client.get(f"/registry/compounds/{world.compounds['A'].pk}/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert client.get("/api/registry/compounds").status_code == 401


@pytest.mark.parametrize(
    ("role", "names_visible", "phones_visible"),
    [
        ("official", True, True),
        ("clerk", True, True),
        ("committee", True, False),  # names for their duties, phones masked
        ("owner", True, True),  # their own unit
    ],
)
def test_personal_data_on_the_unit_page(world, client_for, role, names_visible, phones_visible):
    page = client_for(role).get(f"/registry/units/{world.units['a1'].pk}/").content.decode()
    assert ("张三" in page) == names_visible
    assert ("13812345678" in page) == phones_visible
    if not phones_visible:
        assert "138****5678" in page


def test_owner_api_masks_nothing_of_their_own_but_sees_no_neighbour(world, client_for):
    client = client_for("owner")
    mine = client.get("/api/registry/my-units").json()
    assert [u["number"] for u in mine] == ["1-101"]
    detail = client.get(f"/api/registry/units/{world.units['a1'].pk}").json()
    assert detail["owners"][0]["name"] == "张三"
