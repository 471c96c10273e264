"""``flask workflows check`` and ``flask workflows show``."""
import shutil

import pytest
import yaml

from assettransfer.config import resource_dir


def test_check_reports_each_shipped_file_ok(runner):
    result = runner.invoke(args=["workflows", "check"])
    assert result.exit_code == 0, result.output
    assert "OK council-cat.yaml: council-cat (14 states, " in result.output
    assert "OK scotland-atr.yaml: scotland-atr (23 states, " in result.output
    assert "OK england-acv.yaml: england-acv (13 states, " in result.output


def test_check_exits_1_naming_the_problem(runner, tmp_path):
    folder = tmp_path / "workflows"
    shutil.copytree(resource_dir("workflows"), folder)
    path = folder / "council-cat.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["actions"]["approve"]["roles"] = ["mayor"]
    path.write_text(yaml.safe_dump(doc))
    result = runner.invoke(args=["workflows", "check", "--dir", str(folder)])
    assert result.exit_code == 1
    assert "council-cat.yaml: action 'approve': unknown role 'mayor'" in result.output


@pytest.mark.parametrize(("step", "message"), [
    ({"guards": ["is_nice"]}, "action 'approve': unknown guard 'is_nice'"),
    ({"effects": ["paint_it"]}, "action 'approve': unknown effect 'paint_it'"),
])
def test_check_knows_the_services_guards_and_effects(runner, tmp_path, step, message):
    folder = tmp_path / "workflows"
    shutil.copytree(resource_dir("workflows"), folder)
    path = folder / "council-cat.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["actions"]["approve"].update(step)
    path.write_text(yaml.safe_dump(doc))
    result = runner.invoke(args=["workflows", "check", "--dir", str(folder)])
    assert result.exit_code == 1
    assert message in result.output


def test_show_prints_states_actions_and_deadlines(runner):
    result = runner.invoke(args=["workflows", "show", "scotland-atr"])
    assert result.exit_code == 0, result.output
    assert "Calendar: Scottish bank holidays" in result.output
    assert "validated -> representations" in result.output
    assert "decision                 6 months after; SSI 2016/357 reg 10; s82(8)" in result.output


def test_show_draws_a_mermaid_diagram_with_labels(runner):
    result = runner.invoke(args=["workflows", "show", "council-cat", "--diagram", "mermaid"])
    assert result.exit_code == 0, result.output
    assert "stateDiagram-v2" in result.output
    assert 'state "Heads of terms issued" as heads_of_terms' in result.output
    assert "heads_of_terms --> legal_drafting: agree_heads_of_terms" in result.output


def test_show_unknown_key_exits_1(runner):
    result = runner.invoke(args=["workflows", "show", "nope"])
    assert result.exit_code == 1 and "No workflow 'nope'" in result.output
