"""Command-line interface: ``flask --app assettransfer ...``."""
import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import demo
from .cli_backup import backup_cli, documents_cli
from .cli_reports import reports_cli
from .cli_users import users
from .jobs.cli import jobs_cli, messages_cli
from .jobs.sweep import REFUSED, run_sweep
from .services import audit, tallies
from .services.actions import STEP_FUNCTIONS
from .services.errors import DomainError
from .services.transaction import transaction
from .wording import weekday_date
from .workflow import authority_calendar
from .workflow import workflows as registry
from .workflow.calendar import SUBDIVISIONS, uk_today
from .workflow.definition import DefinitionError
from .workflow.diagram import ENGINES, diagram
from .workflow.registry import WorkflowRegistry

workflows_cli = AppGroup("workflows", help="Check and show the workflow definitions.")
deadlines_cli = AppGroup("deadlines",
                         help="Take the system actions that missed deadlines call for.")
audit_cli = AppGroup("audit", help="Check the audit trail.")
tallies_cli = AppGroup("tallies", help="The dashboard's counts of applications per stage.")
calendar_cli = AppGroup("calendar", help="The working calendar deadlines are counted in.")


@workflows_cli.command("check")
@click.option("--dir", "folder", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Check this folder instead of the app's WORKFLOWS_DIR (e.g. an edited copy).")
def workflows_check(folder):
    """Validate every workflow file; exit 1 naming each file and problem."""
    folder = folder or Path(current_app.config["WORKFLOWS_DIR"])
    try:
        loaded = WorkflowRegistry.load(
            folder, [], current_app.config["AUTHORITY_NATION"],
            current_app.config["LOCAL_HOLIDAYS"], Path(current_app.template_folder), STEP_FUNCTIONS,
            not_observed=current_app.config["HOLIDAYS_NOT_OBSERVED"],
        )
    except DefinitionError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    for workflow in loaded:
        click.echo(f"OK {workflow.source_file}: {workflow.key} ({len(workflow.states)} states, "
                   f"{len(workflow.actions)} actions, {len(workflow.deadlines)} deadlines)")


@workflows_cli.command("show")
@click.argument("key")
@click.option("--diagram", "engine", type=click.Choice(ENGINES),
              help="Print the process diagram instead of the tables.")
def workflows_show(key, engine):
    """Print a workflow's states, actions and deadlines, or its diagram."""
    workflow = registry().get(key)
    if workflow is None:
        click.echo(f"No workflow '{key}'. Known: {', '.join(w.key for w in registry())}", err=True)
        sys.exit(1)
    if engine:
        click.echo(diagram(workflow, engine=engine))
        return
    click.echo(f"{workflow.title} [{workflow.key}]\n{workflow.legal_basis}\n"
               f"Calendar: {workflow.calendar.description}\n\nStates:")
    for state in workflow.states.values():
        flag = " (final)" if state.final else ""
        click.echo(f"  {state.name:24} {state.label}{flag}")
    click.echo("\nActions:")
    for action in workflow.actions.values():
        dest = action.dest or "(stays)"
        guards = f"  guards: {', '.join(g.name for g in action.guards)}" if action.guards else ""
        click.echo(f"  {action.name:24} {', '.join(action.sources)} -> {dest}  "
                   f"[{', '.join(action.roles)}]{guards}")
    click.echo("\nDeadlines:")
    for rule in workflow.deadlines.values():
        period = (f"{rule.period.length} {rule.period.unit} {rule.period.counting}"
                  if rule.period else f"the date in '{rule.fixed_field}'")
        click.echo(f"  {rule.name:24} {period}; {rule.citation}")


@deadlines_cli.command("sweep")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Run as if today were this date.")
def deadlines_sweep(today):
    """Take every due system action (overdue, lapse, end of moratorium, expiry), and record the
    run. Safe to run twice."""
    run = run_sweep(today.date() if today else uk_today(), "command")
    for outcome in run.details:
        refused = outcome["outcome"] == REFUSED
        click.echo(f"{outcome['reference']}: {outcome['action']}"
                   + (f" refused: {outcome['message']}" if refused else ""), err=refused)
    click.echo(f"{run.taken} action{'s' if run.taken != 1 else ''} taken, {run.refused} refused")
    if run.refused:
        sys.exit(1)


@audit_cli.command("verify")
def audit_verify():
    """Check every application's keyed chain, its head and its state, and the account trail;
    exit 1 naming each application (or the account trail) that does not verify."""
    report = audit.verify()
    for problem in report.problems:
        click.echo(f"BROKEN: {problem}", err=True)
    if report.problems:
        click.echo(f"The audit trail does not verify: {len(report.problems)} problem"
                   f"{'s' if len(report.problems) != 1 else ''} (listed above).", err=True)
        sys.exit(1)
    click.echo(f"OK: {report.events} events verified ({report.applications} applications, "
               f"their heads and states), {report.account_events} account events")


@audit_cli.command("rekey")
def audit_rekey():
    """Sign the whole trail again with AUDIT_KEY_ID's key (after upgrading to a keyed trail, or
    to retire a key); exit 1, signing nothing, when any chain is already broken."""
    with transaction():
        signed, problems = audit.rekey()
    for problem in problems:
        click.echo(f"BROKEN: {problem}", err=True)
    if problems:
        click.echo("Nothing was re-keyed: a broken chain would be signed as good.", err=True)
        sys.exit(1)
    click.echo(f"OK: {signed} events signed with key '{current_app.config['AUDIT_KEY_ID']}'")


@tallies_cli.command("recount")
def tallies_recount():
    """Rebuild the counts from the applications (after loading rows without the app); list
    each count that was wrong."""
    with transaction():
        wrong = tallies.recount()
    for workflow, state, was, now in wrong:
        click.echo(f"{workflow} {state}: was {was}, now {now}")
    click.echo(f"OK: {len(wrong)} count{'s' if len(wrong) != 1 else ''} corrected")


@click.command("demo")
@click.option("--password", help="Password for every demo account (a random one by default).")
def demo_command(password):
    """Fill an empty database with a demo authority, groups, staff and applications."""
    if not demo.is_empty():
        click.echo("The database already has data: the demo only fills an empty one.", err=True)
        sys.exit(1)
    password = password or secrets.token_urlsafe(9)
    try:
        with transaction():
            made = demo.seed(password)
    except DomainError as exc:
        click.echo(f"Demo failed: {exc.message} {[e.message for e in exc.errors]}", err=True)
        sys.exit(1)
    click.echo(f"Demo data for {current_app.config['AUTHORITY_NAME']}. "
               f"Sign in with password: {password}")
    for role, email, name in made:
        click.echo(f"  {role:15} {email:28} {name}")


@calendar_cli.command("show")
@click.option("--nation", type=click.Choice(list(SUBDIVISIONS)),
              help="Whose bank holidays (default: the authority's nation, AUTHORITY_NATION).")
@click.option("--year", type=int, help="The calendar year (default: this year).")
def calendar_show(nation, year):
    """List the year's days off, each with its source, and the bank holidays not observed."""
    cal = authority_calendar(nation)
    year = year or uk_today().year
    click.echo(f"Working calendar, {year}: {cal.description} "
               f"({cal.working_days_in(year)} working days)")
    removed = cal.not_observed_in(year)
    listings = [("Days off:", cal.holidays_in(year))]
    listings += [("Bank holidays the council does not observe:", removed)] if removed else []
    for heading, days in listings:
        click.echo(heading)
        for holiday in days:
            click.echo(f"  {weekday_date(holiday.day):28} {holiday.name:32} {holiday.source}")


def init_app(app: Flask) -> None:
    for command in (workflows_cli, deadlines_cli, audit_cli, tallies_cli, calendar_cli, users,
                    jobs_cli, messages_cli, demo_command, backup_cli, documents_cli, reports_cli):
        app.cli.add_command(command)
