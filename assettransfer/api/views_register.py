"""Workflows, the asset register and organisations."""
from flask import url_for

from ..services import assets, organisations
from ..services.errors import NotFound
from ..workflow import workflows
from . import schemas as s
from . import schemas_out as out
from . import serialise
from .blueprint import route
from .registry import ID

WORKFLOW_KEY = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "maxLength": 40}


@route("/workflows", summary="The workflows this council offers", tag="workflows", auth="optional",
       response=out.WorkflowList)
def list_workflows(user):
    """Everything a client needs to run each process: states, actions with their fields,
    deadlines, assessment criteria and the application form."""
    return out.WorkflowList(items=[serialise.workflow(w) for w in workflows().offered_workflows()])


@route("/workflows/<key>", summary="One workflow", tag="workflows", auth="optional",
       response=out.WorkflowOut, path_schemas={"key": WORKFLOW_KEY})
def get_workflow(user, key):
    registry = workflows()
    if key not in registry.offered:
        raise NotFound(f"This council does not offer a workflow '{key}'")
    return serialise.workflow(registry[key])


@route("/assets", summary="Search the asset register", tag="assets", auth="optional",
       query=s.AssetQuery, response=out.AssetPage, errors=(422,))
def list_assets(user, query):
    page = assets.search_assets(q=query.q, asset_type=query.asset_type, status=query.status,
                                postcode=query.postcode, ward=query.ward, page=query.page,
                                per_page=query.per_page)
    return serialise.asset_page(user, page)


@route(f"/assets/<{ID}:asset_id>", summary="One asset", tag="assets", auth="optional",
       response=out.AssetOut)
def get_asset(user, asset_id):
    return serialise.asset(user, assets.get_asset(asset_id))


@route("/assets", "POST", summary="Add an asset to the register (officers and admins)",
       tag="assets", body=s.AssetCreate, status=201, response=out.AssetOut, errors=(403,))
def create_asset(user, body):
    asset = assets.create_asset(user, body.model_dump(mode="json", exclude_unset=True))
    return serialise.asset(user, asset), {"Location": url_for("api.get_asset", asset_id=asset.id)}


@route(f"/assets/<{ID}:asset_id>", "PATCH", summary="Change an asset (officers and admins)",
       tag="assets", body=s.AssetPatch, response=out.AssetOut, errors=(403,))
def update_asset(user, asset_id, body):
    asset = assets.update_asset(user, assets.get_asset(asset_id),
                                body.model_dump(mode="json", exclude_unset=True))
    return serialise.asset(user, asset)


@route("/organisations", summary="The organisations you are a member of", tag="organisations",
       response=out.OrganisationList)
def list_organisations(user):
    return out.OrganisationList(items=[serialise.organisation(o)
                                       for o in organisations.organisations_of(user)])


@route("/organisations", "POST", summary="Register a community body; you become its lead contact",
       tag="organisations", body=s.OrganisationCreate, status=201, response=out.OrganisationOut,
       errors=(403,))
def create_organisation(user, body):
    organisation = organisations.create_organisation(
        user, body.model_dump(mode="json", exclude_unset=True))
    location = url_for("api.get_organisation", organisation_id=organisation.id)
    return serialise.organisation(organisation), {"Location": location}


@route(f"/organisations/<{ID}:organisation_id>", summary="One organisation (members and council)",
       tag="organisations", response=out.OrganisationOut)
def get_organisation(user, organisation_id):
    return serialise.organisation(organisations.get_organisation(user, organisation_id))


@route(f"/organisations/<{ID}:organisation_id>", "PATCH",
       summary="Change an organisation (members)", tag="organisations", body=s.OrganisationPatch,
       response=out.OrganisationOut, errors=(403,))
def update_organisation(user, organisation_id, body):
    organisation = organisations.update_organisation(
        user, organisations.get_organisation(user, organisation_id),
        body.model_dump(mode="json", exclude_unset=True))
    return serialise.organisation(organisation)


@route(f"/organisations/<{ID}:organisation_id>/members", "POST",
       summary="Add a member by the email of their account (the lead contact)", tag="organisations",
       body=s.MemberAdd, status=201, response=out.MemberOut, errors=(403,))
def add_member(user, organisation_id, body):
    membership = organisations.add_member(
        user, organisations.get_organisation(user, organisation_id), body.email)
    return serialise.member(membership)
