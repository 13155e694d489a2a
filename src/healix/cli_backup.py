"""Backups: `flask --app healix backup new-key | create DIR | verify FILE | restore FILE [--force]`.

See docs/operations.md for the schedule, off-site copies, restore steps and key rotation.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from healix.config import current_settings
from healix.controllers import backup_controller
from healix.controllers.backup_controller import BackupError, Manifest
from healix.extensions import db


@click.group("backup", cls=AppGroup)
def backup_group() -> None:
    """Encrypted database backups: new-key, create, verify, restore."""


def _current_key() -> str:
    key = current_settings().backup_encryption_key
    if key is None:
        raise click.ClickException(
            "BACKUP_ENCRYPTION_KEY is not set (make one with: flask --app healix backup new-key)"
        )
    return key.get_secret_value()


def _keys() -> list[str]:
    keys = current_settings().backup_keys()
    if not keys:
        raise click.ClickException("BACKUP_ENCRYPTION_KEY is not set")
    return keys


def _summary(manifest: Manifest) -> str:
    return (
        f"{manifest.dialect} at revision {manifest.schema_revision}, taken {manifest.created_at}: "
        f"{manifest.total_rows} rows in {len(manifest.row_counts)} tables, "
        f"audit head seq={manifest.audit_head_seq}"
    )


@backup_group.command("new-key")
def new_key_command() -> None:
    """Print a new random encryption key for BACKUP_ENCRYPTION_KEY."""
    click.echo(backup_controller.new_key())


@backup_group.command("create")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def create_command(directory: Path) -> None:
    """Write an encrypted backup of the database into DIRECTORY."""
    try:
        path, manifest = backup_controller.create(db.engine, directory, key=_current_key())
    except (BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup {path} written: {_summary(manifest)}.")


@backup_group.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def verify_command(file: Path) -> None:
    """Decrypt FILE, authenticate it and check the dump against its manifest."""
    try:
        manifest = backup_controller.verify(file, keys=_keys())
    except (BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"OK: {_summary(manifest)}.")
    for table, rows in manifest.row_counts.items():
        click.echo(f"  {table:<36} {rows}")


@backup_group.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the contents of a database that is not empty.")
def restore_command(file: Path, force: bool) -> None:
    """Restore FILE into the configured database (it must be empty unless --force)."""
    try:
        restored = backup_controller.restore(db.engine, file, keys=_keys(), force=force)
    except (BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Restored {_summary(restored.manifest)}; the audit chain verifies "
        f"({restored.audit_rows_verified} rows) and its head matches the manifest."
    )
