"""The notifications table of a workflow file is checked when the app starts (and by
``flask workflows check``): unknown actions and recipients, and kinds with no template, are
named."""
import pytest

from assettransfer.workflow.definition import DefinitionError
from tests.workflow.test_definitions import edit, folders, load  # noqa: F401 (fixture)


def send(doc, entry):
    doc["notifications"]["send"].append(entry)


@pytest.mark.parametrize(("entry", "problem"), [
    ({"actions": ["fly"], "to": ["group"], "kind": "stage_changed"},
     "council-cat.yaml: notifications: unknown action 'fly'"),
    ({"actions": ["approve"], "to": ["owner"], "kind": "stage_changed"},
     "council-cat.yaml: notifications: unknown recipient 'owner' (one of group, lead_contact, "
     "case_officer, council_team or a party under 'parties')"),
    ({"actions": ["approve"], "to": ["lead_contact"], "kind": "fanfare"},
     "council-cat.yaml: notifications: message kind 'fanfare' has no template "
     "messages/fanfare.txt"),
])
def test_a_bad_entry_is_refused_naming_it(folders, entry, problem):  # noqa: F811
    edit(folders, "council-cat.yaml", lambda doc: send(doc, entry))
    with pytest.raises(DefinitionError) as refused:
        load(folders)
    assert problem in str(refused.value).splitlines()


def test_a_default_kind_needs_its_template_too(folders):  # noqa: F811
    (folders[1] / "messages" / "legal_pack_to_sign.txt").unlink()
    with pytest.raises(DefinitionError, match="council-cat.yaml: notifications: message kind "
                                              "'legal_pack_to_sign' has no template"):
        load(folders)


def test_an_unknown_statutory_deadline_is_named(folders):  # noqa: F811
    edit(folders, "council-cat.yaml", lambda doc: doc["notifications"].update(
        statutory_deadlines=["decison"]))
    with pytest.raises(DefinitionError, match="statutory_deadlines names unknown deadline "
                                              "'decison'"):
        load(folders)
