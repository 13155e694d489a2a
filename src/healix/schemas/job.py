"""Background jobs as administrators see them: kind, state and error, never a payload."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from healix.models.job import JobStatus
from healix.schemas.common import PageQuery, RequestSchema, Schema


class JobListQuery(PageQuery):
    status: JobStatus | None = Field(default=None, description="e.g. failed")
    kind: str | None = Field(
        default=None, max_length=60, description="e.g. mail.appointment_booked"
    )


class JobPath(RequestSchema):
    job_id: uuid.UUID


class JobRead(Schema):
    """One job. `last_error` names the exception (addresses redacted, never health data)."""

    id: uuid.UUID
    kind: str
    status: JobStatus
    attempts: int
    user_id: uuid.UUID | None = Field(description="who the job acts for (a mail's recipient)")
    subject_id: uuid.UUID | None = Field(description="the record it is about, if any")
    created_at: datetime
    available_at: datetime
    finished_at: datetime | None
    result: str | None
    last_error: str | None
