"""The layer table of docs/architecture.md, run as the import-linter contracts in pyproject.toml.

A breach is put into a copy of the package to show each contract fails when it should.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    # The working directory comes first on lint-imports' path, so it checks the package there.
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo", "pyproject.toml"],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
    )


def test_the_package_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken." in result.stdout


@pytest.fixture
def copy(tmp_path):
    """The package's Python modules and the contracts, in a folder of their own."""
    shutil.copytree(ROOT / "assettransfer", tmp_path / "assettransfer",
                    ignore=shutil.ignore_patterns("static", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("models/asset.py", "from ..web import layout",
     "assettransfer.models is not allowed to import assettransfer.web"),
    ("workflow/engine.py", "from ..services import deadlines",
     "assettransfer.workflow is not allowed to import assettransfer.services"),
    ("documents/context.py", "from ..services import reads",
     "assettransfer.documents is not allowed to import assettransfer.services"),
    ("wording.py", "from .models import Role",
     "assettransfer.wording is not allowed to import assettransfer.models"),
    ("demo.py", "from .web import layout",
     "assettransfer.demo is not allowed to import assettransfer.web"),
    ("web/files.py", "from ..documents import service",
     "assettransfer.web is not allowed to import assettransfer.documents"),
    ("api/views_casework.py", "from ..documents.records import read_document",
     "assettransfer.api is not allowed to import assettransfer.documents"),
])
def test_an_import_against_the_table_fails(copy, module, line, broken):
    path = copy / "assettransfer" / module
    path.write_text(f"{path.read_text()}\n{line}\n")
    result = lint_imports(copy)
    assert result.returncode == 1
    assert broken in " ".join(result.stdout.split())


def test_a_new_top_level_module_must_be_given_a_layer(copy):
    (copy / "assettransfer" / "mailer.py").write_text('"""Sends e-mail."""\n')
    result = lint_imports(copy)
    assert result.returncode == 1
    assert "assettransfer.mailer" in result.stdout
