"""Imports of export files: the upload form and an import's state and counts."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_openapi3.models.file import FileStorage
from pydantic import BaseModel, ConfigDict, Field

from healix.models.data_import import ImportFormat, ImportStatus
from healix.schemas.common import OMITTABLE, RequestSchema, Schema


class ImportUpload(BaseModel):
    """multipart/form-data: the export file, and optionally its `format`, to override the
    detected one."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    file: FileStorage = Field(
        description="Apple Health export.zip or export.xml, a Fitbit Takeout zip, a FIT file "
        "(or a zip of them), or a Healix CSV file"
    )
    #: leave it out to have the format detected
    format: ImportFormat | None = OMITTABLE


class ImportRecordError(Schema):
    """A record that could not be read: where it is in the file and why (never its values)."""

    position: str = Field(description="e.g. `record 17` or `line 4`")
    message: str


class ImportRead(Schema):
    """An import and its progress; counts grow while it runs (they are committed in chunks)."""

    id: uuid.UUID
    format: ImportFormat
    status: ImportStatus = Field(description="queued, running, done, failed or cancelled")
    filename: str
    size_bytes: int
    records_read: int = Field(description="Records (or lines) of the file read so far")
    readings_read: int = Field(description="Readings they gave (hourly sums and nights count once)")
    accepted: int = Field(description="Stored readings with status ok")
    faulty: int = Field(description="Stored, but outside the plausible range (status faulty)")
    duplicates: int = Field(description="Already stored (an earlier import, a device) or repeated")
    invalid: int = Field(description="Records that could not be read (see `errors`)")
    skipped_by_type: dict[str, int] = Field(description="Records of types Healix does not import")
    alerts_created: int = Field(description="Alerts opened (at most one per type, newest breach)")
    errors: list[ImportRecordError] = Field(description="The first errors, with their position")
    error: str | None = Field(default=None, description="Why a failed import stopped")
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class ImportPath(RequestSchema):
    import_id: uuid.UUID
