"""The council's own land on its list of assets of community value (Localism Act 2011 s95-s96):
a community asset transfer of the freehold, or a lease of 25 years or more, is a relevant
disposal and waits for the protected period. council-cat's ``complete`` is the disposal, and
names the guard ``acv_disposal_allowed`` with these parameters."""
from datetime import UTC, date, datetime

import pytest

from assettransfer.services.guards_disposal import acv_disposal_allowed
from assettransfer.workflow import workflows
from assettransfer.workflow.context import ActionContext

PARAMS = {"listing": "england-acv",
          "listed_states": ["listed", "interim_moratorium", "full_moratorium",
                            "protected_period"],
          "may_dispose_in": ["protected_period"]}
FREEHOLD = {"transfer_type": "freehold", "term_years": None}


def lease(years):
    return {"transfer_type": "lease", "term_years": years}


def failures(make, terms, acv_state, data=None):
    asset = make.AssetFactory(name="The Red Lion")
    transfer = make.ApplicationFactory(workflow="council-cat", state="sign_off", asset=asset,
                                       terms=terms)
    if acv_state:
        make.ApplicationFactory(workflow="england-acv", state=acv_state, asset=asset)
    workflow = workflows()["council-cat"]
    ctx = ActionContext(application=transfer, workflow=workflow,
                        action=workflow.actions["complete"], actor=make.UserFactory(legal=True),
                        data=data or {}, today=date(2026, 11, 2),
                        now=datetime(2026, 11, 2, tzinfo=UTC))
    return acv_disposal_allowed(ctx, PARAMS)


@pytest.mark.parametrize(("terms", "acv_state"), [
    (FREEHOLD, "listed"),
    (lease(25), "interim_moratorium"),  # 25 years is a qualifying lease
    (lease(99), "full_moratorium"),
])
def test_a_relevant_disposal_of_listed_land_waits_for_the_protected_period(make, terms,
                                                                           acv_state):
    [failure] = failures(make, terms, acv_state)
    assert failure.startswith("The Red Lion is on the list of assets of community value (TST-")
    assert failure.endswith(
        "): a freehold or "
        "a lease of 25 years or more is a relevant disposal, which may only be made in the "
        "protected period after the council has notified its wish to dispose and the moratorium "
        "has ended (Localism Act 2011 s95, s96)")


@pytest.mark.parametrize(("terms", "acv_state"), [
    (FREEHOLD, "protected_period"),
    (lease(24), "listed"),  # a lease under 25 years is not a relevant disposal
    ({"transfer_type": "licence", "term_years": 30}, "listed"),
    (FREEHOLD, "expired"),  # no longer listed
    (FREEHOLD, "not_listed"),
    (FREEHOLD, None),
])
def test_other_transfers_may_go_ahead(make, terms, acv_state):
    assert failures(make, terms, acv_state) == []


def test_the_action_s_own_terms_count_over_those_recorded(make):
    assert failures(make, lease(10), "listed", data={"transfer_type": "freehold"})
    assert failures(make, FREEHOLD, "listed", data={"transfer_type": "licence"}) == []


def test_council_cat_completion_names_the_guard_with_these_parameters(app):
    complete = workflows()["council-cat"].actions["complete"]
    steps = {step.name: step.params for step in complete.guards}
    assert steps["acv_disposal_allowed"] == PARAMS
