"""Loading and validating workflow files: the shipped ones pass, broken ones are named and
refused."""
import shutil
from pathlib import Path

import pytest
import yaml

from assettransfer import create_app
from assettransfer.config import resource_dir
from assettransfer.services.actions import STEP_FUNCTIONS
from assettransfer.workflow import definition
from assettransfer.workflow.definition import DefinitionError
from assettransfer.workflow.registry import WorkflowRegistry
from tests.conftest import AUDIT_KEY

SHIPPED = resource_dir("workflows")


@pytest.fixture
def folders(tmp_path):
    """A copy of the shipped workflows and a template folder with every document they name
    and the shipped messages."""
    workflows, templates = tmp_path / "workflows", tmp_path / "templates"
    shutil.copytree(SHIPPED, workflows)
    shutil.copytree(resource_dir("templates") / "messages", templates / "messages")
    for path in workflows.glob("*.yaml"):
        doc = yaml.safe_load(path.read_text())
        for kind in doc.get("documents", {}):
            stub = templates / "documents" / doc["key"] / f"{kind}.html"
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text("stub")
    return workflows, templates


def load(folders, offered=("council-cat",)):
    workflows, templates = folders
    return WorkflowRegistry.load(workflows, list(offered), "wales", [], templates, STEP_FUNCTIONS)


def edit(folders, name, change):
    path = folders[0] / name
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


def test_the_shipped_workflows_load_with_their_contract_names(folders):
    registry = load(folders, ["scotland-atr", "england-acv", "council-cat"])
    atr = registry["scotland-atr"]
    assert list(atr.states) == [
        "draft", "submitted", "information_requested", "validated", "representations",
        "applicant_comments", "assessment", "recommended", "agreed", "refused", "decision_overdue",
        "under_review", "refused_on_review", "appealed_to_ministers", "offer_made", "sign_off",
        "no_contract_appeal", "completed", "closed", "declined", "ended_no_contract", "lapsed",
        "withdrawn"]
    assert list(registry["england-acv"].states) == [
        "draft", "nominated", "listed", "owner_review", "not_listed", "interim_moratorium",
        "full_moratorium", "protected_period", "transferred", "delisted", "expired", "withdrawn",
        "removed"]
    assert list(registry["council-cat"].states) == [
        "eoi_draft", "eoi_submitted", "eoi_declined", "business_case", "application_submitted",
        "information_requested", "assessment", "recommended", "refused", "heads_of_terms",
        "legal_drafting", "sign_off", "completed", "withdrawn"]


def test_each_process_keeps_its_own_calendar(folders):
    registry = load(folders)
    assert registry["scotland-atr"].calendar.nation == "scotland"
    assert registry["england-acv"].calendar.nation == "england"
    assert registry["council-cat"].calendar.nation == "wales"  # the authority's nation


def test_council_cat_criteria_and_pass_mark(folders):
    cat = load(folders)["council-cat"]
    assert [(c.name, c.weight) for c in cat.criteria] == [
        ("community_benefit", 30), ("financial_sustainability", 25), ("governance_capacity", 20),
        ("deliverability", 15), ("value_for_money", 10)]
    assert cat.pass_mark == 60


def test_one_machine_per_workflow_without_auto_transitions(folders):
    cat = load(folders)["council-cat"]
    assert "to_completed" not in cat.machine.events
    assert set(cat.machine.events) == set(cat.actions)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["actions"]["accept_eoi"].update(to="nowhere"),
     "council-cat.yaml: action 'accept_eoi': 'to' names unknown state 'nowhere'"),
    (lambda d: d["actions"]["accept_eoi"].update({"from": ["limbo"]}),
     "council-cat.yaml: action 'accept_eoi': 'from' names unknown state 'limbo'"),
    (lambda d: d["actions"]["accept_eoi"].update(guards=["is_nice"]),
     "council-cat.yaml: action 'accept_eoi': unknown guard 'is_nice'"),
    (lambda d: d["actions"]["accept_eoi"].update(roles=["mayor"]),
     "council-cat.yaml: action 'accept_eoi': unknown role 'mayor'"),
    (lambda d: d["actions"]["accept_eoi"].update(effects=["paint_it"]),
     "council-cat.yaml: action 'accept_eoi': unknown effect 'paint_it'"),
    (lambda d: d["actions"]["accept_eoi"].update(documents=["poem"]),
     "council-cat.yaml: action 'accept_eoi': document 'poem' is not declared under 'documents'"),
    (lambda d: d["documents"].update(poem={"title": "A poem"}),
     "council-cat.yaml: document 'poem' has no template"),
    (lambda d: d["states"].update(limbo={"label": "Limbo"}),
     "council-cat.yaml: state 'limbo' cannot be reached from 'eoi_draft'"),
    (lambda d: d["actions"].pop("complete"),
     "council-cat.yaml: state 'completed' cannot be reached from 'eoi_draft'"),
    (lambda d: d.update(initial_state="genesis"),
     "council-cat.yaml: initial_state 'genesis' is not a declared state"),
    (lambda d: d["deadlines"]["eoi_response"].update(unit="fortnights"),
     "council-cat.yaml: deadline 'eoi_response': unit must be one of"),
    (lambda d: d["deadlines"]["eoi_response"].update(met_by=["shrug"]),
     "council-cat.yaml: deadline 'eoi_response': met by unknown action 'shrug'"),
    (lambda d: d["form"]["sections"][0]["fields"][0].update(type="colour"),
     "field 'summary': unknown type 'colour'"),
    (lambda d: d["actions"]["withdraw"].update(guards=["sections_complete"]),
     ("council-cat.yaml: state 'eoi_draft': more than one applicant action sends the form "
      "(guard 'sections_complete'): submit_eoi, withdraw")),
    (lambda d: d["actions"]["provide_information"].pop("guards"),
     ("council-cat.yaml: editable state 'information_requested': no applicant action sends the "
      "form on (guard 'sections_complete')")),
    (lambda d: d["actions"]["submit_eoi"].update(guards=[{"sections_complete": ["poems"]}]),
     "action 'submit_eoi': guard 'sections_complete' names unknown form section 'poems'"),
    (lambda d: d["actions"]["submit_application"]["guards"][1].update(
        attachments_present=["business_plan", "horoscope"]),
     ("action 'submit_application': guard 'attachments_present' names unknown attachment kind "
      "'horoscope'")),
    (lambda d: d["actions"]["start_assessment"].update(
        fields=[{"name": "aside", "label": "Aside", "internal": True}]),
     ("council-cat.yaml: only the recommendation to the decision maker has internal fields, "
      "but start_assessment, recommend each do")),
    (lambda d: d["actions"]["recommend"]["documents"].append("decision_notice"),
     "action 'recommend': the recommendation issues one report, not 2 documents"),
    (lambda d: d["actions"]["refuse"].pop("guards"),
     "action 'refuse': a decision maker's action needs the guard 'independent_decision'"),
    (lambda d: d["actions"]["sign"]["fields"].pop(1),
     "action 'sign': effect 'record_signature' needs the field 'full_name'"),
])
def test_an_invalid_file_is_refused_naming_file_and_problem(folders, change, message):
    edit(folders, "council-cat.yaml", change)
    with pytest.raises(DefinitionError) as refused:
        load(folders)
    assert message in str(refused.value)


def test_the_guards_and_effects_that_give_actions_their_parts_exist():
    assert ({definition.SENDS_FORM, definition.NEEDS_FILES, definition.DECIDES}
            <= set(STEP_FUNCTIONS.guards))
    assert {definition.SIGNS_PACK, definition.RECORDS_TERMS} <= set(STEP_FUNCTIONS.effects)


def test_each_action_s_part_is_read_from_the_yaml_not_its_name(folders):
    registry = load(folders)
    cat, acv, atr = registry["council-cat"], registry["england-acv"], registry["scotland-atr"]
    assert {state: cat.submission_action(state).name for state in cat.states
            if cat.submission_action(state)} == {
        "eoi_draft": "submit_eoi", "business_case": "submit_application",
        "information_requested": "provide_information"}
    assert cat.submission_action("assessment") is None
    eoi = cat.actions["submit_eoi"]
    assert [s.name for s in cat.sections_needed_by(eoi)] == ["proposal", "contact"]
    assert cat.sections_needed_by(cat.actions["submit_application"]) == cat.sections
    assert cat.sections_needed_by(None) == cat.sections
    assert cat.actions["submit_application"].needed_attachments == (
        "business_plan", "accounts", "constitution")
    assert eoi.needed_attachments == ()
    assert (cat.recommendation.name, cat.recommendation.documents) == (
        "recommend", ("assessment_report",))
    assert atr.recommendation.name == "recommend" and acv.recommendation is None
    assert [a.name for a in atr.actions.values() if a.decides] == [
        "agree", "refuse", "review_agree", "review_refuse"]
    assert [a.name for a in acv.actions.values() if a.decides] == [
        "uphold_listing", "remove_listing", "decide_compensation_review"]
    assert [a.name for a in cat.actions.values() if a.signs_pack] == ["sign"]


def test_a_change_of_terms_starts_from_the_terms_without_their_reasons(folders):
    cat = load(folders)["council-cat"]
    terms = {"transfer_type": "lease", "term_years": 25, "reasons": "Meets the policy."}
    assert cat.actions["revise_heads_of_terms"].terms_carried_over(terms) == {
        "transfer_type": "lease", "term_years": 25}
    assert cat.actions["approve"].terms_carried_over(None) == {}
    assert cat.actions["withdraw"].terms_carried_over(terms) == {}


def test_a_state_with_no_way_out_is_refused(folders):
    def strand(doc):
        doc["actions"].pop("list")
        doc["actions"].pop("decline")
        doc["actions"]["withdraw"]["from"] = ["draft"]
        doc["actions"]["record_oral_hearing"]["from"] = ["nominated"]

    edit(folders, "england-acv.yaml", strand)  # what records something there does not leave it
    with pytest.raises(DefinitionError,
                       match="state 'nominated' is not final but no action leaves it"):
        load(folders)


def test_a_final_state_with_a_way_out_is_refused(folders):
    edit(folders, "council-cat.yaml",
         lambda d: d["actions"]["accept_eoi"].update({"from": ["eoi_submitted", "completed"]}))
    with pytest.raises(DefinitionError, match="leaves final state 'completed'"):
        load(folders)


def test_not_yaml_is_refused_with_the_file_name(folders):
    (folders[0] / "broken.yaml").write_text("key: [unclosed")
    with pytest.raises(DefinitionError, match="broken.yaml: not valid YAML"):
        load(folders)


def test_an_offered_workflow_must_exist(folders):
    with pytest.raises(DefinitionError, match="WORKFLOWS names 'wales-cat'"):
        load(folders, ["wales-cat"])


def test_the_app_refuses_to_start_on_an_invalid_file(folders, database, tmp_path):
    edit(folders, "council-cat.yaml", lambda d: d["actions"]["accept_eoi"].update(to="nowhere"))
    with pytest.raises(DefinitionError, match="'to' names unknown state 'nowhere'"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "AUDIT_KEYS": {"k": AUDIT_KEY},
                    "SQLALCHEMY_DATABASE_URI": database[0],
                    "WORKFLOWS_DIR": str(folders[0]), "STORAGE_DIR": str(tmp_path)})


@pytest.mark.parametrize(("step", "message"), [
    ({"guards": ["is_nice"]}, "unknown guard 'is_nice'"),
    ({"effects": ["paint_it"]}, "unknown effect 'paint_it'"),
])
def test_the_app_refuses_to_start_on_an_unknown_guard_or_effect(folders, database, tmp_path, step,
                                                                 message):
    edit(folders, "council-cat.yaml", lambda d: d["actions"]["accept_eoi"].update(step))
    with pytest.raises(DefinitionError, match=message):
        create_app({"TESTING": True, "SECRET_KEY": "x", "AUDIT_KEYS": {"k": AUDIT_KEY},
                    "SQLALCHEMY_DATABASE_URI": database[0],
                    "WORKFLOWS_DIR": str(folders[0]), "STORAGE_DIR": str(tmp_path)})


def test_shipped_files_cite_their_statutes():
    for name, cites in [("scotland-atr.yaml",
                         ["SSI 2016/357 reg 10", "SSI 2016/358 reg 3(2)", "s80"]),
                        ("england-acv.yaml", ["s95(6)", "s87(3)", "SI 2012/2421"])]:
        text = (Path(SHIPPED) / name).read_text()
        for cite in cites:
            assert cite in text, f"{name} should cite {cite}"


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["documents"]["listing_notice_owner"].update(to="landlord"),
     "document 'listing_notice_owner': 'to' names unknown party 'landlord'"),
    (lambda d: d["parties"]["owner"].update(name="owner_nom"),
     "party 'owner': no form or action field 'owner_nom'"),
    (lambda d: d["parties"]["occupier"].pop("label"), "party 'occupier': missing 'label'"),
])
def test_a_letter_to_a_party_needs_a_party_whose_details_are_recorded(folders, change, message):
    edit(folders, "england-acv.yaml", change)
    with pytest.raises(DefinitionError, match=message):
        load(folders)


def test_only_an_action_that_records_may_be_taken_after_the_process_ends(folders):
    acv = load(folders, ["england-acv"])["england-acv"]
    claim = acv.actions["record_compensation_claim"]
    assert claim.dest is None and {"expired", "removed", "transferred"} <= set(claim.sources)
    edit(folders, "england-acv.yaml",
         lambda d: d["actions"]["record_compensation_claim"].update(to="listed"))
    with pytest.raises(DefinitionError, match="leaves final state 'transferred'"):
        load(folders, ["england-acv"])


@pytest.mark.parametrize("asks", [
    '{{ due("appeal_to_mars") }}',
    '{% set deadline_names = ["decision", "appeal_to_mars"] %}',
    '{{ deadlines.appeal_to_mars.rule }}',
    '{% if deadlines.get("appeal_to_mars") %}x{% endif %}',
])
def test_a_letter_that_asks_for_an_undefined_deadline_is_refused(folders, asks):
    """Its date would otherwise be left off the letter without a word."""
    letter = folders[1] / "documents" / "council-cat" / "decision_notice.html"
    letter.write_text(f'{{% extends "documents/letter.html" %}}{asks}')
    with pytest.raises(DefinitionError) as refused:
        load(folders)
    assert str(refused.value) == (
        "council-cat.yaml: template council-cat/decision_notice.html asks for deadline "
        "'appeal_to_mars', which the workflow does not define")


def test_a_letter_that_asks_only_for_defined_deadlines_passes(folders):
    letter = folders[1] / "documents" / "council-cat" / "decision_notice.html"
    letter.write_text('{% set deadline_names = ["decision"] %}{{ due("eoi_response") }}'
                      '{{ deadlines.decision.rule }}{% for d in deadlines.values() %}{% endfor %}')
    assert load(folders)["council-cat"].deadlines["decision"]


def test_a_letter_that_does_not_parse_is_named(folders):
    letter = folders[1] / "documents" / "council-cat" / "decision_notice.html"
    letter.write_text("{% if %}")
    with pytest.raises(DefinitionError, match=r"decision_notice.html: line 1: "):
        load(folders)
