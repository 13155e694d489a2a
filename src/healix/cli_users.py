"""Operator commands: `flask --app healix users list|deactivate|reset-mfa` and `demo reset`.

Commands of a group are plain click commands on `users_group`; add another with
`@users_group.command(...)`.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_migrate import downgrade, upgrade

from healix.config import Environment, current_settings
from healix.controllers import admin_controller, mfa_controller
from healix.db import session_scope
from healix.exceptions import HealixError
from healix.extensions import db
from healix.models.user import Role, UserStatus


@click.group("users", cls=AppGroup)
def users_group() -> None:
    """User accounts: list, deactivate, reset-mfa."""


@users_group.command("list")
@click.option("--role", type=click.Choice([role.value for role in Role]))
@click.option("--status", type=click.Choice([status.value for status in UserStatus]))
@click.option("--search", "q", help="Part of a name or email.")
@click.option("--limit", type=click.IntRange(1, 500), default=100, show_default=True)
def list_command(role: str | None, status: str | None, q: str | None, limit: int) -> None:
    """List accounts, newest first: id, role, status, email, name."""
    with session_scope() as session:
        page = admin_controller.list_users(
            session, actor=None, role=role, status=status, q=q, limit=limit, cursor=None
        )
        for user in page.items:
            click.echo(
                f"{user.id}  {user.role:<8}  {user.status:<8}  {user.email}  {user.full_name}"
            )
        if page.next_cursor:
            click.echo(f"(more than {limit}; narrow with --role, --status, --search or --limit)")


@users_group.command("deactivate")
@click.argument("user")
def deactivate_command(user: str) -> None:
    """Deactivate USER (email or id) and end their sessions; never the last admin."""
    try:
        with session_scope() as session:
            target = admin_controller.find_user(session, user)
            revoked = admin_controller.deactivate_user(session, actor=None, user=target)
            email = target.email
    except HealixError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"{email} deactivated; {revoked} sessions ended.")


@users_group.command("reset-mfa")
@click.argument("user")
def reset_mfa_command(user: str) -> None:
    """Remove USER's (email or id) second factor, e.g. after a lost phone; audited, the user is
    mailed, and must enrol again at the next sign-in where two factors are required."""
    try:
        with session_scope() as session:
            target = admin_controller.find_user(session, user)
            mfa_controller.reset_mfa(session, actor=None, user_id=target.id)
            email = target.email
    except HealixError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"{email}: two-factor sign-in reset; they enrol again at their next sign-in.")


@click.group("demo", cls=AppGroup)
def demo_group() -> None:
    """Demo data for development databases."""


@demo_group.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def demo_reset_command(yes: bool) -> None:
    """Drop every table, migrate again and load the demo data (never in production)."""
    settings = current_settings()
    if settings.healix_env is Environment.PRODUCTION:
        raise click.ClickException("demo reset refuses to run with HEALIX_ENV=production")
    if not yes:
        click.confirm(f"Erase everything in {db.engine.url.render_as_string()}?", abort=True)
    downgrade(revision="base")
    upgrade()
    from healix.demo import print_demo_logins, seed_demo

    with session_scope() as session:
        seed_demo(session, settings=settings)
    click.echo("Demo data loaded into an empty database.")
    print_demo_logins(click.echo)
