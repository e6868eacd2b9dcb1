"""The API describes itself, and serves its docs without any CDN."""

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_lists_the_registry_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/registry/compounds",
        "/api/registry/compounds/{compound_id}",
        "/api/registry/compounds/{compound_id}/buildings",
        "/api/registry/buildings/{building_id}/units",
        "/api/registry/units/{unit_id}",
        "/api/registry/my-units",
    } <= paths


def test_docs_page_uses_local_assets_only(client, django_user_model):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html


def test_compound_response_matches_schema(world, client_for):
    schema = client_for("clerk").get("/api/openapi.json").json()
    body = client_for("clerk").get(f"/api/registry/compounds/{world.compounds['A'].pk}").json()
    component = schema["components"]["schemas"]["CompoundOut"]
    assert set(body) == set(component["properties"])
    assert body["totals"] == {"area": "130.00", "heads": 2, "units": 2}


def test_json_carries_chinese_as_written(world, client_for):
    compound = world.compounds["A"]
    response = client_for("clerk").get(f"/api/registry/compounds/{compound.pk}")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    # Not "\\u6c34…": a search of the raw response for a name finds it (the masking
    # tests rely on that).
    assert f'"name": "{compound.name}"'.encode() in response.content
    assert any(ord(ch) > 127 for ch in compound.name)
