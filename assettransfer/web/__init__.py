"""The web pages: one blueprint per audience, on the GOV.UK Frontend layout."""

from pathlib import Path

from flask import Flask, send_from_directory
from jinja2 import BytecodeCache, ChoiceLoader, PackageLoader, PrefixLoader

from ..extensions import login_manager
from ..services import asset_map
from . import (
    access,
    account,
    account_messages,  # noqa: F401 (its page is on the account blueprint)
    applicant,
    case_components,
    community_value,
    council,
    files,
    input,
    layout,
    public,
    register,
    security_headers,
    sessions,
    transaction,
    verify,
)

# Built by scripts/build_assets.py; absent until then, and pages still work unstyled.
GOVUK_ASSETS = Path(__file__).resolve().parent.parent / "static" / "govuk" / "assets"


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates shared by every app in the process.

    The GOV.UK macros take ~0.4 s to compile, which each new app (every test) would pay again.
    Jinja keys entries by template and checks the source's checksum, so an edit is never stale.
    """

    def __init__(self):
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE_CACHE = _MemoryBytecodeCache()


def init_web(app: Flask) -> None:
    # Our templates first, then the GOV.UK macros under their package prefixes, as the
    # govuk-frontend-jinja and govuk-frontend-wtf READMEs configure them.
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.bytecode_cache = _BYTECODE_CACHE
    _init_login(app)
    layout.init_app(app)
    security_headers.init_app(app)
    case_components.init_app(app)
    app.add_template_global(asset_map.drawing, "asset_map_drawing")

    # govuk-frontend.min.css asks for its fonts and images at /assets/...: there is no
    # $govuk-assets-path to change in the compiled CSS, so serve that path.
    @app.route("/assets/<path:filename>", endpoint="govuk_assets")
    def govuk_assets(filename):
        return send_from_directory(GOVUK_ASSETS, filename, max_age=86400)

    pages = (public.bp, register.bp, community_value.bp, account.bp, applicant.bp, council.bp,
             applicant.organisation_bp, files.bp, verify.bp)
    for bp in pages:
        app.register_blueprint(bp)
        # On this app only: the blueprints are shared by every app the process makes.
        app.before_request_funcs.setdefault(bp.name, []).append(access.require_two_factor_set_up)
    input.init_app(app, pages)
    transaction.init_app(app, pages)


def _init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "account.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(sessions.load_user)
