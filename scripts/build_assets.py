#!/usr/bin/env python3
"""Copy the GOV.UK Frontend files the pages need from node_modules into the package.

Run ``npm ci`` first. Copies ``govuk-frontend.min.css``, ``govuk-frontend.min.js`` and
``assets/`` from ``node_modules/govuk-frontend/dist/govuk/`` to ``assettransfer/static/govuk/``
(git-ignored), replacing what was there. No bundler: the CSS and JS are used as published.
"""

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "node_modules" / "govuk-frontend"
DEST = ROOT / "assettransfer" / "static" / "govuk"
FILES = ("govuk-frontend.min.css", "govuk-frontend.min.js")


class BuildError(Exception):
    pass


def pinned_version(root: Path = ROOT) -> str:
    return json.loads((root / "package.json").read_text())["dependencies"]["govuk-frontend"]


def build(package: Path = PACKAGE, dest: Path = DEST, expected: str | None = None) -> str:
    """Copy the files; returns the version copied.

    :raises BuildError: when the package is missing, incomplete or not the pinned version.
    """
    manifest = package / "package.json"
    if not manifest.is_file():
        raise BuildError(f"{package} not found: run `npm ci` first")
    version = json.loads(manifest.read_text())["version"]
    if expected and version != expected:
        raise BuildError(
            f"govuk-frontend {version} is installed but package.json pins {expected}: run `npm ci`"
        )
    dist = package / "dist" / "govuk"
    missing = [name for name in (*FILES, "assets") if not (dist / name).exists()]
    if missing:
        raise BuildError(f"{dist} lacks {', '.join(missing)}")
    # Build beside the destination and swap, so a failed copy never leaves half the files.
    staging = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
        for name in FILES:
            shutil.copy2(dist / name, staging / name)
        shutil.copytree(dist / "assets", staging / "assets")
        (staging / "VERSION").write_text(version + "\n")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(dest, ignore_errors=True)
    staging.rename(dest)
    return version


def main() -> int:
    try:
        version = build(expected=pinned_version())
    except BuildError as exc:
        print(f"build_assets: {exc}", file=sys.stderr)
        return 1
    print(f"Copied GOV.UK Frontend {version} to {DEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
