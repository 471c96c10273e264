"""The OpenAPI document: valid OpenAPI 3.1, complete, and built from the models that validate."""
import schemathesis

from assettransfer.api import schemas
from assettransfer.api.openapi import REF

CONTRACT = {
    ("get", "/workflows"), ("get", "/workflows/{key}"),
    ("get", "/assets"), ("post", "/assets"), ("get", "/assets/{asset_id}"),
    ("patch", "/assets/{asset_id}"),
    ("post", "/organisations"), ("get", "/organisations/{organisation_id}"),
    ("patch", "/organisations/{organisation_id}"),
    ("post", "/organisations/{organisation_id}/members"),
    ("post", "/applications"), ("get", "/applications"), ("get", "/applications/{application_id}"),
    ("patch", "/applications/{application_id}"),
    ("post", "/applications/{application_id}/actions/{action}"),
    ("get", "/applications/{application_id}/events"),
    ("post", "/applications/{application_id}/attachments"), ("get", "/attachments/{attachment_id}"),
    ("post", "/applications/{application_id}/assessments"),
    ("get", "/applications/{application_id}/assessments"),
    ("post", "/applications/{application_id}/representations"),
    ("get", "/applications/{application_id}/documents"), ("get", "/documents/{document_id}"),
    ("get", "/applications/{application_id}/legal-pack"),
}


def test_the_document_is_valid_openapi_3_1(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"] == "3.1.0" and document["servers"] == [{"url": "/api/v1"}]
    schemathesis.openapi.from_dict(document).validate()


def test_it_describes_every_operation_of_the_contract(client):
    document = client.get("/api/v1/openapi.json").get_json()
    described = {(method, path) for path, ops in document["paths"].items() for method in ops}
    assert CONTRACT <= described
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "An API token from your account page"}


def test_request_bodies_are_the_validating_models(client):
    document = client.get("/api/v1/openapi.json").get_json()
    components = document["components"]["schemas"]
    take_action = document["paths"]["/applications/{application_id}/actions/{action}"]["post"]
    body = take_action["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ActionRequest"}
    for model in (schemas.ActionRequest, schemas.AssetCreate, schemas.OrganisationCreate,
                  schemas.RepresentationCreate):
        expected = model.model_json_schema(ref_template=REF)
        expected.pop("$defs", None)
        assert components[model.__name__] == expected
    assert "version" in components["ActionRequest"]["required"]
    assert "status" not in components["AssetCreate"]["properties"]


def test_each_operation_declares_its_statuses_and_problem_responses(client):
    document = client.get("/api/v1/openapi.json").get_json()
    take_action = document["paths"]["/applications/{application_id}/actions/{action}"]["post"]
    assert set(take_action["responses"]) == {"200", "400", "401", "403", "404", "409", "413", "415",
                                             "422", "429"}
    assert take_action["security"] == [{"bearer": []}]
    problem = take_action["responses"]["422"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}
    assert set(document["components"]["schemas"]["Problem"]["required"]) >= {
        "type", "title", "status", "detail"}
    upload = document["paths"]["/applications/{application_id}/attachments"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert upload["responses"]["201"]["content"]["application/json"]
    assets = document["paths"]["/assets"]["get"]
    assert assets["security"] == [{}, {"bearer": []}]  # public: a token is optional
    assert {p["name"] for p in assets["parameters"]} >= {
        "q", "asset_type", "status", "page", "per_page"}
    pack = document["paths"]["/applications/{application_id}/legal-pack"]["get"]
    assert "application/pdf" in pack["responses"]["200"]["content"]
    assert "ETag" in pack["responses"]["200"]["headers"]
