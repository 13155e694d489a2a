"""Command-line tools: `flask --app healix seed-demo | create-admin | audit verify`."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import with_appcontext

from healix.config import current_settings
from healix.controllers import auth_controller
from healix.db import session_scope
from healix.models.user import Role, User, UserStatus
from healix.utils import audit_logger, passwords
from healix.utils.audit_logger import AuditAction


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(audit_group)


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
        if auth_controller.find_user_by_email(session, email):
            raise click.ClickException("An account with this email already exists.")
        admin = User(
            email=email,
            role=Role.ADMIN,
            status=UserStatus.ACTIVE,
            first_name=first_name,
            last_name=last_name,
            password_hash=passwords.hash_password(
                password, rounds=settings.effective_bcrypt_rounds
            ),
        )
        session.add(admin)
        session.flush()
        audit_logger.record(
            session,
            AuditAction.ADMIN_CREATE_ADMIN,
            resource_type="user",
            resource_id=admin.id,
            details={"via": "cli"},
        )
    click.echo(f"Admin {email} created.")


@click.group("audit")
def audit_group() -> None:
    """Audit log tools."""


@audit_group.command("verify")
@with_appcontext
def audit_verify_command() -> None:
    """Walk the hash chain and name the first altered, missing or reordered row."""
    with session_scope() as session:
        result = audit_logger.verify_chain(session)
    if result.ok:
        click.echo(f"OK: {result.rows_checked} rows verified.")
        return
    click.echo(
        f"FAILED at row seq={result.first_bad_row}: {result.problem} "
        f"({result.rows_checked} rows checked)"
    )
    sys.exit(1)
