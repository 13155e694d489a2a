"""Drop enumeration values nothing ever sets: appointment status 'rescheduled' (a
reschedule keeps an appointment 'scheduled' and counts `reschedule_count`) and alert
severity 'info' (alerts open at 'warning' or 'critical').

Revision ID: 019
Revises: 018
"""

from alembic import op

revision = "019"
down_revision = "018"
branch_labels = None
depends_on = None

APPOINTMENT_STATUSES = ("scheduled", "completed", "cancelled", "no_show")
ALERT_SEVERITIES = ("warning", "critical")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def _replace_check(table: str, column: str, values: tuple[str, ...]) -> None:
    name = f"ck_{table}_{column}"
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(op.f(name), type_="check")
        batch.create_check_constraint(op.f(name), _in(column, values))


def upgrade():
    # no row can hold these values through the API; map any written by hand to their meaning
    op.execute("UPDATE appointments SET status = 'scheduled' WHERE status = 'rescheduled'")
    op.execute("UPDATE alerts SET severity = 'warning' WHERE severity = 'info'")
    _replace_check("appointments", "status", APPOINTMENT_STATUSES)
    _replace_check("alerts", "severity", ALERT_SEVERITIES)


def downgrade():
    _replace_check("appointments", "status", (*APPOINTMENT_STATUSES, "rescheduled"))
    _replace_check("alerts", "severity", ("info", *ALERT_SEVERITIES))
