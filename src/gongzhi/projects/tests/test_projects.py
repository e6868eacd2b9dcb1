"""Street-improvement projects: weighted progress and money in fen, exactly; who may
change what; drafts hidden and published projects public; milestones never go back;
bad input refused in words with nothing written."""

import datetime as dt
from decimal import Decimal

import pytest

from gongzhi.accounts.models import Role
from gongzhi.core import clock
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.tests.clients import as_
from gongzhi.projects import selectors, services
from gongzhi.projects.models import ItemStatus, Milestone, MilestonePhoto, Project, ProjectItem
from gongzhi.projects.progress import weighted
from gongzhi.registry.tests.factories import NeighbourhoodFactory, user_with_role
from gongzhi.servicedesk.tests.conftest import photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    area = NeighbourhoodFactory(name="水霞居民区")
    other = NeighbourhoodFactory(name="别的居民区")
    sd = area.sub_district
    return {
        "area": area,
        "other_area": other,
        "sd": sd,
        "official": user_with_role("official", Role.SUB_DISTRICT_OFFICIAL, sub_district=sd),
        "clerk": user_with_role("clerk", Role.CLERK, neighbourhood=area),
        "other_clerk": user_with_role("other_clerk", Role.CLERK, neighbourhood=other),
        "owner": user_with_role("owner"),
    }


def project(town, **extra):
    today = clock.today()
    return services.project_create(
        sub_district=town["sd"],
        title="生态水城",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=90),
        neighbourhoods=[town["area"]],
        actor=town["official"],
        **extra,
    )


def test_progress_is_the_weighted_mean_exactly():
    assert weighted([]) == Decimal("0.0")
    assert weighted([(100, 2), (60, 5), (0, 1)]) == Decimal("62.5")
    assert weighted([(1, 1), (0, 2)]) == Decimal("0.3")  # 1/3 rounds down
    assert weighted([(1, 1), (0, 1)]) == Decimal("0.5")
    assert weighted([(1, 2), (0, 1)]) == Decimal("0.7")  # 2/3 rounds up
    assert weighted([(1, 1), (0, 39)]) == Decimal("0.0")  # 0.025 rounds down
    assert weighted([(1, 1), (0, 19)]) == Decimal("0.1")  # 0.05 rounds half up


def test_figures_in_fen_and_a_cancelled_item_leaves_the_progress(town):
    p = project(town)
    gate = services.item_save(
        project=p, actor=town["clerk"], title="后门", weight=2, budget="380,000.00"
    )
    path = services.item_save(
        project=p, actor=town["clerk"], title="步道", weight=5, budget="1250000.1"
    )
    pavilion = services.item_save(
        project=p, actor=town["clerk"], title="凉亭", weight=1, budget="160000", spent="0.01"
    )
    services.milestone_record(item=gate, actor=town["clerk"], title="开放", progress=100)
    services.milestone_record(
        item=path, actor=town["clerk"], title="面层", progress=60, spent="690,000.00"
    )
    f = selectors.figures(list(p.items.all()))
    assert (f.progress, f.budget_fen, f.spent_fen) == (Decimal("62.5"), 179_000_010, 69_000_001)
    assert (f.items, f.done) == (3, 1)
    assert f.spent_share == Decimal("38.5")
    services.item_save(
        project=p, item=pavilion, actor=town["clerk"], title="凉亭", weight=1,
        budget="160000", spent="0.01", status=ItemStatus.CANCELLED,
    )  # fmt: skip
    f = selectors.figures(list(p.items.all()))
    assert f.progress == Decimal("71.4")  # (200 + 300) / 7
    assert (f.budget_fen, f.spent_fen) == (163_000_010, 69_000_001)  # spent stays spent


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"budget": "12.345"}, "12.345"),
        ({"budget": "-5"}, "-5"),
        ({"budget": "abc"}, "abc"),
        ({"budget": "1000000000.01"}, "billion"),
        ({"weight": 0}, "1 to 100"),
        ({"weight": 101}, "1 to 100"),
        ({"title": " "}, "title"),
        ({"latitude": Decimal("31.2")}, "both coordinates"),
        ({"starts_on": dt.date(2026, 5, 2), "ends_on": dt.date(2026, 5, 1)}, "ends on or after"),
        ({"status": "done"}, "100%"),
    ],
)
def test_a_bad_item_is_refused_in_words_and_writes_nothing(town, english, fields, words):
    p = project(town)
    values = {"title": "步道", "weight": 1, **fields}
    with pytest.raises(ApplicationError, match=words.replace(".", r"\.")):
        services.item_save(project=p, actor=town["clerk"], **values)
    assert not ProjectItem.objects.exists()


def test_milestones_never_go_back_nor_ahead_of_today(town, english):
    p = project(town)
    item = services.item_save(project=p, actor=town["clerk"], title="步道")
    services.milestone_record(item=item, actor=town["clerk"], title="路基", progress=25)
    with pytest.raises(ApplicationError, match="25%"):
        services.milestone_record(item=item, actor=town["clerk"], title="倒退", progress=20)
    with pytest.raises(ApplicationError, match="not before"):
        services.milestone_record(
            item=item, actor=town["clerk"], title="将来", progress=30,
            on=clock.today() + dt.timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(ApplicationError):
        services.milestone_record(item=item, actor=town["clerk"], title="太多", progress=101)
    with pytest.raises(ApplicationError):
        services.milestone_record(
            item=item, actor=town["clerk"], title="照片", progress=30,
            photos=[photo(f"p{n}") for n in range(7)],
        )  # fmt: skip
    item.refresh_from_db()
    assert (item.progress, item.status, Milestone.objects.count()) == (25, ItemStatus.UNDER_WAY, 1)
    assert not MilestonePhoto.objects.exists()


def test_who_may_start_and_manage_a_project(town):
    with pytest.raises(PermissionRefused):
        services.project_create(
            sub_district=town["sd"], title="x", starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 2, 1), actor=town["clerk"],
        )  # fmt: skip
    p = project(town)
    for who, may in (("official", True), ("clerk", True), ("other_clerk", False), ("owner", False)):
        assert town[who].has_perm("projects.manage", p) is may, who
    with pytest.raises(PermissionRefused):
        services.item_save(project=p, actor=town["other_clerk"], title="x")
    with pytest.raises(ApplicationError):
        services.project_create(
            sub_district=town["sd"], title="x", starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 2, 1), actor=town["official"],
            neighbourhoods=[NeighbourhoodFactory()],  # another sub-district's
        )  # fmt: skip
    assert Project.objects.count() == 1


def test_a_draft_is_hidden_until_published_with_its_items(client, town):
    p = project(town)
    assert client.get("/projects/").content.decode().count('data-testid="project"') == 0
    assert client.get(f"/projects/{p.pk}/").status_code == 404
    with pytest.raises(ApplicationError):
        services.project_publish(project=p, published=True, actor=town["official"])
    item = services.item_save(project=p, actor=town["clerk"], title="健身步道", budget="100")
    services.milestone_record(
        item=item, actor=town["clerk"], title="开工", progress=10, photos=[photo("开工")]
    )
    services.project_publish(project=p, published=True, actor=town["official"])
    page = client.get(f"/projects/{p.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "健身步道" in text and 'data-testid="manage"' not in text
    picture = MilestonePhoto.objects.get()
    assert client.get(f"/projects/{p.pk}/photos/{picture.pk}/").status_code == 200
    as_(client, town["clerk"])
    assert 'data-testid="manage"' in client.get(f"/projects/{p.pk}/").content.decode()


def test_the_managers_pages_post_changes_and_refuse_others(client, town):
    p = project(town)
    as_(client, town["clerk"])
    answer = client.post(
        f"/projects/{p.pk}/items/", {"title": "健身步道", "weight": "5", "budget": "1,250,000.00"}
    )
    assert answer.status_code == 302
    item = ProjectItem.objects.get()
    assert item.budget_fen == 125_000_000
    client.post(
        f"/projects/{p.pk}/items/{item.pk}/milestone/",
        {"title": "路基", "progress": "25", "photos": photo("路基")},
    )
    item.refresh_from_db()
    assert item.progress == 25 and MilestonePhoto.objects.count() == 1
    assert client.get(f"/projects/{p.pk}/publish/").status_code == 405
    as_(client, town["other_clerk"])
    assert client.post(f"/projects/{p.pk}/items/", {"title": "x", "weight": "1"}).status_code in (
        403,
        404,
    )
    assert ProjectItem.objects.count() == 1


def test_links_stay_within_the_projects_areas(town):
    from gongzhi.cases.models import Meeting

    p = project(town)
    now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    here = Meeting.objects.create(
        neighbourhood=town["area"], kind="four_party", title="四方会议", starts_at=now,
        ends_at=now + dt.timedelta(hours=2), place="站", created_by=town["clerk"],
    )  # fmt: skip
    there = Meeting.objects.create(
        neighbourhood=town["other_area"], kind="four_party", title="别处", starts_at=now,
        ends_at=now + dt.timedelta(hours=2), place="站", created_by=town["clerk"],
    )  # fmt: skip
    with pytest.raises(ApplicationError):
        services.links_set(project=p, actor=town["clerk"], meetings=[here, there])
    assert not p.meetings.exists()
    services.links_set(project=p, actor=town["clerk"], meetings=[here])
    assert list(p.meetings.all()) == [here]


def test_the_map_escapes_titles_and_places_every_item(town):
    from gongzhi.projects.map import items_map

    p = project(town)
    services.item_save(
        project=p, actor=town["clerk"], title='<script>alert("x")</script>',
        latitude=Decimal("31.2074"), longitude=Decimal("121.3923"),
    )  # fmt: skip
    services.item_save(
        project=p, actor=town["clerk"], title="步道",
        latitude=Decimal("31.2056"), longitude=Decimal("121.3899"),
    )  # fmt: skip
    services.item_save(project=p, actor=town["clerk"], title="无坐标")
    svg = str(items_map(list(p.items.all()), title=p.title))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<circle") == 2 and "无坐标" not in svg
    assert items_map([], title="x") is None
