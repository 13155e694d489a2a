"""Commands for background work: `flask --app healix jobs relay|list|retry` and one
`flask --app healix upkeep <task>` per scheduled upkeep task (for cron instead of beat)."""

from __future__ import annotations

import sys
import uuid

import click
from flask.cli import AppGroup

from healix.config import current_settings
from healix.controllers import job_controller, upkeep_controller
from healix.db import session_scope
from healix.exceptions import HealixError
from healix.models.job import Job, JobStatus
from healix.tasks import queue


@click.group("jobs", cls=AppGroup)
def jobs_group() -> None:
    """Background jobs: relay, list, retry."""


@jobs_group.command("relay")
def relay_command() -> None:
    """Hand due jobs to the workers (without a broker: run them here), as beat does."""
    handed = queue.relay(current_settings())
    click.echo(f"{handed} jobs handed over.")


@jobs_group.command("list")
@click.option("--status", type=click.Choice([status.value for status in JobStatus]))
@click.option("--kind")
@click.option("--limit", type=click.IntRange(1, 500), default=50, show_default=True)
def list_command(status: str | None, kind: str | None, limit: int) -> None:
    """List jobs, newest first (e.g. --status failed)."""
    with session_scope() as session:
        jobs = job_controller.list_jobs(session, status=status, kind=kind, limit=limit, cursor=None)
        for job in jobs.items:
            outcome = job.last_error if job.status == JobStatus.FAILED else job.result
            click.echo(
                f"{job.id}  {job.created_at:%Y-%m-%d %H:%M:%S}  {job.status:<9}  "
                f"{job.attempts}x  {job.kind}  {outcome or ''}".rstrip()
            )


@jobs_group.command("retry")
@click.argument("job_id", type=click.UUID)
def retry_command(job_id: uuid.UUID) -> None:
    """Run a failed job again (handed to a worker, or run here without a broker)."""
    try:
        with session_scope() as session:
            job_controller.retry(session, actor=None, job_id=job_id)
    except HealixError as exc:
        raise click.ClickException(exc.detail or exc.title) from exc
    click.echo(f"Job {job_id} queued again.")


@click.group("upkeep", cls=AppGroup)
def upkeep_group() -> None:
    """Scheduled upkeep, run here and now (beat runs the same tasks on a worker)."""


def _upkeep_command(task: upkeep_controller.Periodic) -> click.Command:
    description = job_controller.registered_kinds()[task.kind].description

    def run() -> None:
        with session_scope() as session:
            job = job_controller.enqueue(session, kind=task.kind, hand_off=False)
            assert job is not None
            job_id = job.id
        try:
            job_controller.execute(job_id, settings=current_settings(), worker=queue.worker_name())
        except Exception as exc:
            raise click.ClickException(
                f"{task.command} failed (job {job_id}, retried by the relay): "
                f"{job_controller.describe_error(exc)}"
            ) from exc
        with session_scope() as session:
            done = session.get_one(Job, job_id)
            if done.status == JobStatus.FAILED:
                click.echo(f"{task.command} failed (job {job_id}): {done.last_error}", err=True)
                sys.exit(1)
            click.echo(f"{task.command}: {done.result}")

    hours = task.every.total_seconds() / 3600
    run.__doc__ = f"{description} (beat: every {hours:g} h)"
    return upkeep_group.command(task.command, help=run.__doc__)(run)


for _task in upkeep_controller.PERIODIC:
    _upkeep_command(_task)
