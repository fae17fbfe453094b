"""The OpenAPI schema documents our API only, and the docs page renders."""

import yaml


def test_schema_lists_only_api_v1_paths(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["info"]["title"] == "Lernplattform API"
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_api_docs_page_renders(client, db):
    assert client.get("/api/v1/docs/").status_code == 200


def test_api_requires_login(client, db):
    assert client.get("/api/v1/").status_code in (401, 403)
