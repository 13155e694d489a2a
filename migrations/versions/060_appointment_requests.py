"""Appointment requests: a provider may require approval of patients' bookings.

Adds `profiles.appointments_need_approval` (false: bookings are confirmed at once, as before)
and the appointment status 'requested'. A requested appointment holds its slot: on PostgreSQL
the two exclusion constraints of migration 003 now cover 'requested' and 'scheduled' alike.

Revision ID: 060
Revises: 040
"""

import sqlalchemy as sa
from alembic import op

revision = "060"
down_revision = "040"
branch_labels = None
depends_on = None

STATUSES = ("scheduled", "completed", "cancelled", "no_show")
PARTIES = ("provider", "patient")


def _in(values: tuple[str, ...]) -> str:
    return f"status IN ({', '.join(repr(value) for value in values)})"


def _replace_status_check(values: tuple[str, ...]) -> None:
    with op.batch_alter_table("appointments") as batch:
        batch.drop_constraint(op.f("ck_appointments_status"), type_="check")
        batch.create_check_constraint(op.f("ck_appointments_status"), _in(values))


def _replace_overlap_constraints(holding: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for party in PARTIES:
        name = f"ex_appointments_{party}_overlap"
        op.execute(f"ALTER TABLE appointments DROP CONSTRAINT {name}")
        op.execute(
            f"ALTER TABLE appointments ADD CONSTRAINT {name} "
            f"EXCLUDE USING gist ({party}_id WITH =, "
            "tstzrange(start_time, end_time, '[)') WITH &&) "
            f"WHERE ({_in(holding)})"
        )


def upgrade():
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(
            sa.Column(
                "appointments_need_approval",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
    _replace_status_check(("requested", *STATUSES))
    _replace_overlap_constraints(("requested", "scheduled"))


def downgrade():
    # a request nobody answered is withdrawn: the old schema has no way to hold it
    op.execute(
        "UPDATE appointments SET status = 'cancelled', "
        "cancellation_reason = 'Request withdrawn' WHERE status = 'requested'"
    )
    _replace_overlap_constraints(("scheduled",))
    _replace_status_check(STATUSES)
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("appointments_need_approval")
