"""``flask jobs ...``: the outbox from the command line."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..extensions import db
from ..models import Job, JobStatus
from ..services.notices import send_digest
from ..services.transaction import transaction
from ..workflow.calendar import uk_today
from .runner import due_jobs, run_job

jobs_cli = AppGroup("jobs", help="Background jobs: run those due, list and retry failed ones.")
messages_cli = AppGroup("messages", help="Messages to people: the council team's weekly digest.")


@jobs_cli.command("run")
def jobs_run():
    """Run, in this process, every job that is due (retries whose time has come, and jobs left
    by a process that stopped); for the embedded install, from cron every few minutes. Exit 1
    if any failed."""
    outcomes = [run_job(job_id) for job_id in due_jobs()]
    counts = {outcome: outcomes.count(outcome) for outcome in sorted(set(outcomes))}
    click.echo(f"{len(outcomes)} due: " + (", ".join(f"{n} {o}" for o, n in counts.items())
                                           or "nothing to do"))
    if counts.get("failed") or counts.get("retry"):
        sys.exit(1)


@jobs_cli.command("list")
@click.option("--all", "everything", is_flag=True, help="Also list jobs that are done.")
def jobs_list(everything):
    """List jobs not yet done (or all), oldest first, with each one's last error."""
    query = select(Job).order_by(Job.id)
    if not everything:
        query = query.where(Job.status != JobStatus.DONE)
    for job in db.session.scalars(query):
        click.echo(f"{job.id:>7} {job.status.value:8} {job.attempts} tries  {job.kind:18} "
                   f"{job.label}" + (f"\n        {job.last_error}" if job.last_error else ""))


@jobs_cli.command("retry")
@click.argument("job_id", type=int)
def jobs_retry(job_id):
    """Try a failed job again from its first attempt."""
    with transaction():
        job = db.session.get(Job, job_id)
        if job is None or job.status is not JobStatus.FAILED:
            click.echo(f"No failed job {job_id}", err=True)
            sys.exit(1)
        job.status, job.attempts = JobStatus.PENDING, 0
    click.echo(f"{job_id}: {run_job(job_id)}")


@messages_cli.command("digest")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Run as if today were this date.")
def messages_digest(today):
    """Write this week's summary of cases to each officer and decision maker (once a week: a
    second run the same week writes nothing)."""
    with transaction():
        written = send_digest(today.date() if today else uk_today())
    click.echo(f"{written} weekly digest{'s' if written != 1 else ''} written")
