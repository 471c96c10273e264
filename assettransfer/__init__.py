"""assettransfer: community asset transfer from first enquiry to signed legal pack."""
from flask import Flask

from .config import load_config, resource_dir


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
    )
    load_config(app, test_config)

    from . import cli, extensions, models  # noqa: F401  (models register their tables)
    from .api import bp as api_bp
    from .services import tallies
    from .services.actions import STEP_FUNCTIONS
    from .web import init_web
    from .workflow import init_workflows

    extensions.db.init_app(app)
    extensions.migrate.init_app(
        app, extensions.db, directory=str(resource_dir("migrations")),
        render_as_batch=True, compare_type=True
    )
    extensions.csrf.init_app(app)
    init_workflows(app, STEP_FUNCTIONS)
    tallies.keep()
    init_web(app)
    extensions.csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    cli.init_app(app)
    return app
