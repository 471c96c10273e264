"""assettransfer: community asset transfer from first enquiry to signed legal pack."""
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import load_config, resource_dir


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
    )
    load_config(app, test_config)
    if app.config["TRUSTED_PROXIES"]:
        # The client's address (and scheme) as the proxies in front of us saw them; without
        # proxies to trust, X-Forwarded-For is anyone's to write and is ignored.
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    from . import (
        cli,
        extensions,
        jobs,
        metrics,
        models,  # noqa: F401  (models register their tables)
        request_log,
        security_log,
        throttle,
    )
    from .api import bp as api_bp
    from .services import public, tallies
    from .services.actions import STEP_FUNCTIONS
    from .web import init_web, ops
    from .workflow import init_workflows

    security_log.init_app(app)
    metrics.init_app(app)
    # First of the request hooks: every later hook's log lines carry the request id.
    request_log.init_app(app)
    extensions.db.init_app(app)
    extensions.migrate.init_app(
        app, extensions.db, directory=str(resource_dir("migrations")),
        render_as_batch=True, compare_type=True
    )
    extensions.csrf.init_app(app)
    throttle.limiter.init_app(app)
    init_workflows(app, STEP_FUNCTIONS)
    jobs.init_app(app)
    tallies.keep()
    # Pages and letters alike show an asset outside the council as ``asset|public``.
    app.add_template_filter(public.public_asset, "public")
    init_web(app)
    app.register_blueprint(ops.bp)
    extensions.csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    cli.init_app(app)
    return app
