"""Rows and workflow definitions into the response models of ``schemas_out``."""
from flask import url_for

from ..models import COMMUNITY_CONTROL_QUESTIONS
from ..services import organisations
from ..services.cases import case_for, stage_label
from ..services.public import asset_fields_for
from ..workflow import workflows
from . import schemas_out as out

ORGANISATION_COLUMNS = ("id", "name", "charity_number", "company_number", "address", "postcode",
                        "member_count", "local_voter_member_count", "community_definition",
                        "created_at")


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def field(f) -> out.FieldOut:
    return out.FieldOut(name=f.name, type=f.type, label=f.label, required=f.required, hint=f.hint,
                        options=[out.OptionOut(value=o.value, label=o.label) for o in f.options])


def workflow(w) -> out.WorkflowOut:
    return out.WorkflowOut(
        key=w.key, title=w.title, summary=w.summary, legal_basis=w.legal_basis, nation=w.nation,
        reference_prefix=w.reference_prefix, initial_state=w.initial_state,
        states=[out.StateOut(name=s.name, label=s.label, applicant_label=s.applicant_label,
                             next_steps=s.next_steps, final=s.final, editable=s.editable,
                             whose_move=s.whose_move) for s in w.states.values()],
        actions=[out.ActionDefinitionOut(
            name=a.name, label=a.label, from_=list(a.sources), to=a.dest, roles=list(a.roles),
            fields=[field(f) for f in a.fields], documents=list(a.documents), confirm=a.confirm,
            description=a.description) for a in w.actions.values()],
        deadlines=[out.DeadlineRuleOut(
            name=r.name, label=r.label, citation=r.citation,
            period=r.period and out.PeriodOut(length=r.period.length, unit=r.period.unit,
                                              counting=r.period.counting),
            fixed_field=r.fixed_field, started_by=list(r.started_by), met_by=list(r.met_by),
            whose=r.whose, window=r.window) for r in w.deadlines.values()],
        criteria=[out.CriterionOut(name=c.name, label=c.label, weight=c.weight, guidance=c.guidance)
                  for c in w.criteria],
        pass_mark=w.pass_mark,
        form=out.FormOut(
            sections=[out.SectionOut(name=s.name, title=s.title, description=s.description,
                                     fields=[field(f) for f in s.fields],
                                     attachments=list(s.attachments))
                      for s in w.form],
            required_attachments=list(w.required_attachments)),
        documents=[out.DocumentKindOut(kind=d.kind, title=d.title) for d in w.documents.values()],
    )


def asset(user, a) -> out.AssetOut:
    """The fields of ``a`` that ``user`` may see (``services.public``), in the API's types."""
    typed = {
        "asset_type": lambda v: v.value, "status": lambda v: v.value,
        "area_m2": lambda v: None if v is None else float(v),
        "latitude": lambda v: None if v is None else float(v),
        "longitude": lambda v: None if v is None else float(v),
        "annual_running_cost": _money, "estimated_market_value": _money,
    }
    return out.AssetOut(**{name: typed.get(name, lambda v: v)(getattr(a, name))
                           for name in asset_fields_for(user)})


def asset_page(user, page) -> out.AssetPage:
    return out.AssetPage(items=[asset(user, a) for a in page.items], total=page.total,
                         page=page.page, per_page=page.per_page, pages=page.pages)


def organisation(o) -> out.OrganisationOut:
    return out.OrganisationOut(
        **{name: getattr(o, name) for name in ORGANISATION_COLUMNS},
        legal_form=o.legal_form.value,
        community_controlled=out.CommunityControlOut(
            **{name: getattr(o, name) for name in COMMUNITY_CONTROL_QUESTIONS}),
        members=[out.MemberOut(user_id=m.user_id, name=m.user.name, email=m.user.email,
                               is_lead_contact=m.is_lead_contact) for m in o.memberships],
        eligibility=[out.EligibilityOut(workflow=e.workflow_key, title=e.title, eligible=e.eligible,
                                        unmet=list(e.unmet))
                     for e in organisations.eligibility(o)],
    )


def member(m) -> out.MemberOut:
    return out.MemberOut(user_id=m.user.id, name=m.user.name, email=m.user.email,
                         is_lead_contact=m.is_lead_contact)


def application_summary(user, a) -> out.ApplicationSummary:
    label = stage_label(user, workflows()[a.workflow].states[a.state])
    return out.ApplicationSummary(
        id=a.id, reference=a.reference, workflow=a.workflow, state=a.state, state_label=label,
        version=a.version, next_due_on=a.next_due_on, created_at=a.created_at,
        submitted_at=a.submitted_at,
        asset=out.AssetSummary(id=a.asset.id, name=a.asset.name,
                               asset_type=a.asset.asset_type.value, postcode=a.asset.postcode,
                               status=a.asset.status.value),
        organisation=out.OrganisationSummary(id=a.organisation.id, name=a.organisation.name),
    )


def application_page(user, page) -> out.ApplicationPage:
    return out.ApplicationPage(items=[application_summary(user, a) for a in page.items],
                               total=page.total, page=page.page, per_page=page.per_page,
                               pages=page.pages)


def deadline(row, rules, today) -> out.DeadlineOut:
    rule = rules.get(row.name)
    return out.DeadlineOut(name=row.name, label=rule.label if rule else row.name,
                           starts_on=row.starts_on, due_on=row.due_on, rule=row.rule,
                           status=row.status_on(today).value, open=row.is_open,
                           whose=rule.whose if rule else "council")


def document(d) -> out.DocumentOut:
    return out.DocumentOut(
        id=d.id, kind=d.kind, title=d.title, version=d.version, stage=d.stage, sha256=d.sha256,
        size=d.size, page_count=d.page_count, issued_at=d.issued_at, superseded_at=d.superseded_at,
        current=d.is_current, url=url_for("api.download_document", document_id=d.id))


def document_list(documents) -> out.DocumentList:
    return out.DocumentList(items=[document(d) for d in documents])


def verdict(v) -> out.VerifyOut:
    """A ``services.verification.Verdict``: its dataclasses have the models' field names."""
    d = v.document
    return out.VerifyOut(
        sha256=v.sha256, issued=v.issued, signatures_valid=v.signatures_valid,
        document=None if d is None else out.IssuedDocumentOut(
            **{name: getattr(d, name) for name in out.IssuedDocumentOut.model_fields}),
        signatures=None if v.signatures is None else [
            out.SignatureCheckOut(**{name: getattr(c, name)
                                     for name in out.SignatureCheckOut.model_fields})
            for c in v.signatures])


def attachment(a) -> out.AttachmentOut:
    return out.AttachmentOut(id=a.id, kind=a.kind.value, filename=a.original_filename,
                             media_type=a.media_type, size=a.size, sha256=a.sha256,
                             uploaded_at=a.uploaded_at,
                             url=url_for("api.download_attachment", attachment_id=a.id))


def application(user, a) -> out.ApplicationOut:
    """The application as this user sees it, with what they may do next."""
    case = case_for(user, a)
    return out.ApplicationOut(
        id=a.id, reference=a.reference, workflow=a.workflow, state=a.state,
        state_label=case.state_label, next_steps=case.state.next_steps,
        whose_move=case.state.whose_move, version=a.version,
        asset=asset(user, a.asset), organisation=out.OrganisationSummary(id=a.organisation.id,
                                                                   name=a.organisation.name),
        answers=a.answers or {},
        actions=[out.ActionOut(name=x.name, label=x.label, fields=[field(f) for f in x.fields],
                               confirm=x.confirm, description=x.description)
                 for x in case.actions if x.possible],
        blocked_actions=[out.BlockedActionOut(name=x.name, label=x.label,
                                              reasons=list(x.blocked_by))
                         for x in case.actions if not x.possible],
        deadlines=[deadline(row, case.workflow.deadlines, case.today) for row in case.deadlines],
        documents=[document(d) for d in case.documents if d.is_current],
        documents_being_prepared=[
            out.DocumentOrderOut(label=j.label, status=j.status.value, ordered_at=j.created_at,
                                 attempts=j.attempts) for j in case.preparing],
        attachments=[attachment(x) for x in case.attachments],
        next_due_on=a.next_due_on, created_at=a.created_at, submitted_at=a.submitted_at,
    )


def event(e) -> out.EventOut:
    return out.EventOut(seq=e.seq, action=e.action, from_state=e.from_state, to_state=e.to_state,
                        actor=out.ActorOut(name=e.actor_name, role=e.actor_role), at=e.at,
                        comment=e.comment)


def assessment(a) -> out.AssessmentOut:
    return out.AssessmentOut(id=a.id,
                             assessor=out.PersonOut(id=a.assessor.id, name=a.assessor.name),
                             scores=a.scores or {}, comments=a.comments or {},
                             created_at=a.created_at, updated_at=a.updated_at)


def representation(r) -> out.RepresentationOut:
    return out.RepresentationOut(id=r.id, from_name=r.from_name, received_on=r.received_on,
                                 text=r.text, recorded_at=r.recorded_at)


def bidder_request(r) -> out.BidderRequestOut:
    return out.BidderRequestOut(
        asset=out.AssetSummary(id=r.asset.id, name=r.asset.name,
                               asset_type=r.asset.asset_type.value, postcode=r.asset.postcode,
                               status=r.asset.status.value),
        organisation=out.OrganisationSummary(id=r.group.id, name=r.group.name),
        received_on=r.received_on, full_moratorium_ends=r.full_moratorium_ends,
        protected_period_ends=r.protected_period_ends)
