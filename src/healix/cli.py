"""Command-line tools: `flask --app healix seed-demo | create-admin | audit verify|checkpoint |
rebuild-rollups` (backups: cli_backup.py; users and demo reset: cli_users.py; jobs and upkeep:
cli_jobs.py).

A command that cannot do its job says why in one line (click's "Error: ...") and exits
non-zero; it never shows a traceback.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from healix.audit import chain
from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.config import current_settings
from healix.controllers import auth_controller, latest_controller, threshold_controller
from healix.db import session_scope
from healix.exceptions import Conflict
from healix.models.biomarker_latest import BiomarkerLatest
from healix.models.biomarker_rollup import BiomarkerRollup
from healix.models.user import Role
from healix.utils import passwords
from healix.utils.time import utcnow


def register(app: Flask) -> None:
    from healix.cli_backup import backup_group
    from healix.cli_jobs import jobs_group, upkeep_group
    from healix.cli_users import demo_group, users_group

    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(rebuild_rollups_command)
    app.cli.add_command(audit_group)
    app.cli.add_command(jobs_group)
    app.cli.add_command(upkeep_group)
    app.cli.add_command(backup_group)
    app.cli.add_command(users_group)
    app.cli.add_command(demo_group)


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load demo users and data when the database has none (idempotent)."""
    from healix.demo import seed_demo

    with session_scope() as session:
        created = seed_demo(session, settings=current_settings())
    if created:
        click.echo("Demo data loaded.")
    else:
        click.echo("Demo data already present; nothing changed.")
    from healix.demo import print_demo_logins

    print_demo_logins(click.echo)


@click.command("rebuild-rollups")
@with_appcontext
def rebuild_rollups_command() -> None:
    """Recompute every hourly rollup and latest reading from the readings (after loading
    readings around the ingest path, e.g. with COPY, or after the catalog's default
    thresholds changed)."""
    with session_scope() as session:
        threshold_controller.rebuild_rollups(session)
        latest_controller.rebuild(session)
        rows = session.scalar(select(func.count()).select_from(BiomarkerRollup))
        latest = session.scalar(select(func.count()).select_from(BiomarkerLatest))
    click.echo(f"Rebuilt {rows} hourly rollups.")
    click.echo(f"Rebuilt {latest} latest readings.")


@click.command("create-admin")
@with_appcontext
@click.option("--email", required=True)
@click.option("--first-name", default="Admin")
@click.option("--last-name", default="User")
@click.password_option("--password", prompt="Password", confirmation_prompt=True)
def create_admin_command(email: str, first_name: str, last_name: str, password: str) -> None:
    """Create an administrator account (asks for the password)."""
    settings = current_settings()
    email = auth_controller.normalize_email(email)
    problems = passwords.policy_violations(password, email=email)
    if problems:
        raise click.ClickException("Password " + "; ".join(problems))
    with session_scope() as session:
        try:
            admin = auth_controller.create_account(
                session,
                email=email,
                role=Role.ADMIN,
                first_name=first_name,
                last_name=last_name,
                password_hash=passwords.hash_password(
                    password, rounds=settings.effective_bcrypt_rounds
                ),
                email_verified_at=utcnow(),
            )
        except Conflict as exc:
            raise click.ClickException(exc.detail) from exc
        audit_logger.record(
            session,
            AuditAction.ADMIN_CREATE_ADMIN,
            resource_type=ResourceType.USER,
            resource_id=admin.id,
            details={"via": "cli"},
        )
    click.echo(f"Admin {email} created.")


@click.group("audit", cls=AppGroup)
def audit_group() -> None:
    """Audit log tools."""


@audit_group.command("verify")
@click.option(
    "--checkpoints",
    "checkpoint_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Also check the heads recorded by `audit checkpoint` (detects truncation or rebuild).",
)
def audit_verify_command(checkpoint_file: str | None) -> None:
    """Walk the hash chain and name the first altered, missing or reordered row."""
    with session_scope() as session:
        result = chain.verify_chain(session)
        if not result.ok:
            _verify_failed(f"row seq={result.first_bad_row}", result, "rows")
        click.echo(f"OK: {result.rows_checked} rows verified.")
        if checkpoint_file is None:
            return
        try:
            checkpoints = chain.read_checkpoints(checkpoint_file)
        except (ValueError, OSError) as exc:
            raise click.ClickException(str(exc)) from exc
        result = chain.verify_checkpoints(session, checkpoints)
    if not result.ok:
        _verify_failed(f"checkpoint seq={result.first_bad_row}", result, "checkpoints")
    click.echo(f"OK: {result.rows_checked} checkpoints match the chain.")


def _verify_failed(where: str, result: chain.VerifyResult, unit: str) -> NoReturn:
    click.echo(f"FAILED at {where}: {result.problem} ({result.rows_checked} {unit} checked)")
    sys.exit(1)


@audit_group.command("checkpoint")
@click.argument("checkpoint_file", type=click.Path(dir_okay=False))
def audit_checkpoint_command(checkpoint_file: str) -> None:
    """Append the chain head (seq, row_hash, UTC time) to FILE; keep FILE off the database host."""
    try:
        with session_scope() as session:
            checkpoint = chain.write_checkpoint(session, checkpoint_file)
    except OSError as exc:
        raise click.ClickException(
            f"cannot write the checkpoint to {checkpoint_file}: {exc.strerror}"
        ) from exc
    click.echo(f"Checkpoint seq={checkpoint.seq} hash={checkpoint.row_hash} written.")
