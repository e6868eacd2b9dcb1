"""The published register is paged (100 units a page) and searchable by compound,
building and unit, with the same number of queries whatever the page or the
compound's size — no longer a single page of every unit (240 KiB for 1,500 units)."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongzhi.voting.models import Decision, DecisionStatus

pytestmark = pytest.mark.django_db
ROW = re.compile(r"<tr><td>[^<]+</td><td>[^<]*</td><td>([^<]+)</td>")


def test_register_paged_searchable_and_constant_in_queries(client):
    call_command("seed_demo", quiet_logins=True)
    decision = Decision.objects.exclude(status=DecisionStatus.DRAFT).first()
    url = f"/voting/{decision.pk}/register/"
    total = decision.register.count()
    assert total > 200
    counts = []
    for query in ("", "?page=2", f"?page={total // 100 + 1}", "?page=abc"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url + query)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert len(set(counts)) == 1, counts
    first = client.get(url).content.decode()
    assert len(ROW.findall(first)) == 100
    # each compound's totals are the legal tally's totals, counted without the ballots
    from gongzhi.voting.selectors import item_tallies

    for group in item_tallies(decision.items.first())[0].result.outcome.compounds:
        name = decision.compounds.get(pk=group.compound).name
        row = first.split(f">{name}</a></td>")[1].split("</tr>")[0]
        assert f'<td class="num">{group.total.heads}</td>' in row, name
        assert f"{group.total.area:,.2f}" in row or f"{group.total.area}" in row, name
    assert "page 1 of" in first or "第 1 页" in first
    compound = decision.compounds.order_by("name").first()
    entry = decision.register.filter(compound=compound).exclude(building_name="").first()
    found = client.get(
        url, {"compound": compound.pk, "building": entry.building_name, "unit": entry.unit_number}
    ).content.decode()
    units = ROW.findall(found)
    assert entry.unit_number in units and 0 < len(units) < 100
    nothing = client.get(url, {"unit": "不存在"}).content.decode()
    assert ROW.findall(nothing) == []


def test_ballot_list_paged_and_searchable_for_an_owner(client):
    from gongzhi.accounts.models import User
    from gongzhi.core.tests.clients import as_

    call_command("seed_demo", quiet_logins=True)
    owner = User.objects.get(username="owner")
    for decision in Decision.objects.filter(status__in=["closed", "final"]):
        url = f"/voting/{decision.pk}/ballots/"
        response = as_(client, owner).get(url)
        if response.status_code != 200:
            continue
        ballots = decision.ballots.exclude(state="superseded").count()
        counts = []
        for query in ("", "?page=2", "?page=999"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url + query).status_code == 200
            counts.append(len(captured.captured_queries))
        assert len(set(counts)) == 1, counts
        page = client.get(url).content.decode()
        assert page.count("<tr><td>") == min(100, ballots)
        entry = decision.ballots.select_related("entry").first().entry
        found = client.get(url, {"unit": entry.unit_number, "building": entry.building_name})
        assert entry.unit_number in found.content.decode()
        assert found.content.decode().count("<tr><td>") < 100
        return
    pytest.fail("the demo has no closed decision its owner may inspect")
