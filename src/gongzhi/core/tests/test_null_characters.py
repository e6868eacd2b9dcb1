"""A NUL character is refused before any view runs: the API and the pages answer 400,
the API naming the field. PostgreSQL cannot store the character, so without this a search
for it or a form carrying it was a server error there (found by the API fuzzing)."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_an_api_query_with_a_nul_character_is_invalid_input(client):
    response = client.get("/api/merchants/", {"q": "面\x00馆"})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == [
        {"loc": ["query", "q"], "msg": body["errors"][0]["msg"], "type": "null_character"}
    ]
    assert "NUL" in body["errors"][0]["msg"]


def test_a_json_body_with_a_nul_character_names_where_it_is(client):
    response = client.post(
        "/api/accounts/token",
        data=json.dumps({"phone": "13900000000", "password": "x", "client": ["a", "b\x00"]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert [e["loc"] for e in response.json()["errors"]] == [["body", "client", "1"]]


def test_a_page_with_a_nul_character_in_its_query_is_a_bad_request(client):
    response = client.get("/merchants/", {"q": "\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_ordinary_text_passes(client):
    assert client.get("/api/merchants/", {"q": "面馆"}).status_code == 200
    assert client.get("/merchants/", {"q": "面馆"}).status_code == 200
