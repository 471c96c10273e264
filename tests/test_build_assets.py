"""scripts/build_assets.py copies GOV.UK Frontend's built files into the package."""

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_assets.py"


@pytest.fixture(scope="module")
def build_assets():
    spec = importlib.util.spec_from_file_location("build_assets", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def package(tmp_path):
    """A node_modules/govuk-frontend with just the files the script copies."""
    root = tmp_path / "govuk-frontend"
    dist = root / "dist" / "govuk"
    (dist / "assets" / "fonts").mkdir(parents=True)
    (root / "package.json").write_text(json.dumps({"version": "5.7.1"}))
    (dist / "govuk-frontend.min.css").write_text("css")
    (dist / "govuk-frontend.min.js").write_text("js")
    (dist / "assets" / "fonts" / "f.woff2").write_text("font")
    (dist / "all.scss").write_text("not wanted")
    return root


def test_copies_css_js_and_assets(build_assets, package, tmp_path):
    dest = tmp_path / "static" / "govuk"
    assert build_assets.build(package, dest, expected="5.7.1") == "5.7.1"
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()) == [
        "VERSION",
        "assets/fonts/f.woff2",
        "govuk-frontend.min.css",
        "govuk-frontend.min.js",
    ]


def test_replaces_what_was_there(build_assets, package, tmp_path):
    dest = tmp_path / "static" / "govuk"
    (dest / "assets").mkdir(parents=True)
    (dest / "assets" / "stale.svg").write_text("old")
    build_assets.build(package, dest)
    assert not (dest / "assets" / "stale.svg").exists()


def test_refuses_another_version(build_assets, package, tmp_path):
    with pytest.raises(build_assets.BuildError, match="pins 5.8.0"):
        build_assets.build(package, tmp_path / "out", expected="5.8.0")
    assert not (tmp_path / "out").exists()


def test_explains_a_missing_npm_install(build_assets, tmp_path):
    with pytest.raises(build_assets.BuildError, match="npm ci"):
        build_assets.build(tmp_path / "nothing", tmp_path / "out")


def test_package_json_pins_the_release_govuk_frontend_wtf_targets(build_assets):
    assert build_assets.pinned_version() == "5.7.1"
