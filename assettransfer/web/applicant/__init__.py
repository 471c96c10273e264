"""Pages for community groups: their applications (``applicant``, ``/applications``, with the
application form nested as ``applicant.form``) and their organisations (``organisation``,
``/organisations``)."""
from . import views_case, views_form, views_organisation
from .blueprint import bp

bp.register_blueprint(views_form.bp)
organisation_bp = views_organisation.bp

__all__ = ["bp", "organisation_bp", "views_case"]
