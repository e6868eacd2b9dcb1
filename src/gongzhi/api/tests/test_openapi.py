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


def test_the_document_has_no_duplicate_keys_and_declares_every_error(client):
    """Each status once (ninja's int keys and our text keys had collided, which Swagger
    UI's parser refused), and 401/404/422/429 wherever an operation can give them."""
    import json

    pairs_seen = []

    def no_duplicates(pairs):
        keys = [key for key, _value in pairs]
        pairs_seen.append(len(keys) == len(set(keys)))
        return dict(pairs)

    document = json.loads(client.get("/api/openapi.json").content, object_pairs_hook=no_duplicates)
    assert all(pairs_seen)
    progress = document["paths"]["/api/voting/decisions/{decision_id}/progress"]["get"]
    assert set(progress["responses"]) == {"200", "401", "403", "404", "422", "429"}
    public = document["paths"]["/api/voting/decisions"]["get"]
    assert set(public["responses"]) == {"200", "429"}
    error = {"$ref": "#/components/schemas/ErrorOut"}
    assert progress["responses"]["404"]["content"]["application/json"]["schema"] == error


def test_no_two_schemas_share_a_name():
    """The review's finding: voting's and cases' MissingOut shared one component in the
    document, so the progress endpoint answered with objects its schema did not allow."""
    import inspect

    from ninja import Schema

    from gongzhi.api import cases, notices, registry, selection, voting

    names = {}
    for module in (cases, notices, registry, selection, voting):
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Schema) and value.__module__ == module.__name__:
                assert name not in names, f"{name} in {module.__name__} and {names[name]}"
                names[name] = module.__name__
