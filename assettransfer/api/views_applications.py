"""Applications: start one, list and read them, save answers, take workflow actions, the trail."""
from flask import url_for

from ..services import actions, applications, assets, interest, organisations, queues
from ..services.errors import FieldError, NotFound, ValidationFailed
from ..services.reads import events_for
from . import schemas as s
from . import schemas_out as out
from . import serialise
from .blueprint import route
from .registry import ID

APPLICATION = f"/applications/<{ID}:application_id>"
ACTION_NAME = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "maxLength": 60}


def _referenced(field: str, find, *args):
    """A thing the body names by id; one that does not exist (or is hidden) is the body's fault."""
    try:
        return find(*args)
    except NotFound as exc:
        raise ValidationFailed("The request names something that does not exist",
                               [FieldError(field, exc.message)]) from None


@route("/applications", "POST", summary="Start an application (members of the organisation)",
       tag="applications", body=s.ApplicationCreate, status=201, response=out.ApplicationOut,
       errors=(403,))
def create_application(user, body):
    """The application starts in the workflow's first state, with no answers yet."""
    asset = _referenced("asset_id", assets.get_asset, body.asset_id)
    organisation = _referenced("organisation_id", organisations.get_organisation, user,
                               body.organisation_id)
    application = applications.start_application(user, body.workflow, asset, organisation)
    location = url_for("api.get_application", application_id=application.id)
    return serialise.application(user, application), {"Location": location}


@route("/applications", summary="Applications you may see, soonest deadline first",
       tag="applications", query=s.ApplicationQuery, response=out.ApplicationPage, errors=(422,))
def list_applications(user, query):
    """Applicants see their organisations' applications; council roles see all."""
    page = queues.list_applications(
        user, workflow=query.workflow, state=query.state, asset_type=query.asset_type,
        overdue=query.overdue, due_within_days=query.due_within_days, page=query.page,
        per_page=query.per_page)
    return serialise.application_page(user, page)


@route(APPLICATION, summary="One application, with what you may do next", tag="applications",
       response=out.ApplicationOut)
def get_application(user, application_id):
    """``actions`` lists what this user may take now; ``blocked_actions`` what their role could
    take here but a guard refuses for now, with the reasons."""
    return serialise.application(user, applications.get_application(user, application_id))


@route(APPLICATION, "PATCH", summary="Save answers while the application is editable",
       tag="applications", body=s.AnswersPatch, response=out.ApplicationOut, errors=(403, 409))
def save_answers(user, application_id, body):
    """Answers are merged into those saved, section by section; required questions are checked
    when the application is sent, not here."""
    application = applications.get_application(user, application_id)
    try:
        applications.save_answers(user, application, body.answers, body.version)
    except ValidationFailed as exc:
        # The service names fields "section.field"; in this body they are under "answers".
        exc.errors = [FieldError(f"answers.{e.field}" if e.field else "answers", e.message)
                      for e in exc.errors]
        raise
    return serialise.application(user, application)


@route(f"{APPLICATION}/actions/<action>", "POST", summary="Take a workflow action",
       tag="applications", body=s.ActionRequest, response=out.ApplicationOut,
       errors=(403, 409), path_schemas={"action": ACTION_NAME})
def take_action(user, application_id, action, body):
    """The action's fields go in ``data``; a guard that refuses is a 422 whose ``errors`` give
    the reasons. Answers 200 with the application as it now is."""
    application = applications.get_application(user, application_id)
    actions.take_action(user, application, action, data=body.data, comment=body.comment,
                        expected_version=body.version)
    return serialise.application(user, application)


@route(f"{APPLICATION}/events", summary="The application's audit trail, oldest first",
       tag="applications", response=out.EventList)
def list_events(user, application_id):
    application = applications.get_application(user, application_id)
    return out.EventList(items=[serialise.event(e) for e in events_for(user, application)])


@route(f"/assets/<{ID}:asset_id>/bidder-requests", "POST",
       summary="Ask, for your group, to be treated as a potential bidder for a listed asset",
       tag="applications", body=s.BidderRequestCreate, status=201, response=out.BidderRequestOut,
       errors=(403,))
def request_to_bid(user, asset_id, body):
    """Any community interest group may ask in writing, during the interim moratorium after the
    owner says it wishes to sell, to be treated as a potential bidder (Localism Act 2011
    s95(3)(a)); the first request means the full moratorium applies. The group that nominated
    the asset asks with the action `express_interest` on its nomination instead."""
    asset = assets.get_asset(asset_id)
    organisation = _referenced("organisation_id", organisations.get_organisation, user,
                               body.organisation_id)
    return serialise.bidder_request(interest.ask_to_bid(user, asset, organisation))
