from __future__ import annotations

from datetime import datetime

from pydantic import Field

from healix.schemas.auth import PASSWORD_FIELD
from healix.schemas.common import RequestSchema, Schema


class PasswordResetRequest(RequestSchema):
    email: str = Field(min_length=1, max_length=320)


class PasswordResetAccepted(Schema):
    message: str


class PasswordResetConfirm(RequestSchema):
    token: str = Field(min_length=1, max_length=200)
    new_password: str = PASSWORD_FIELD


class AccountDelete(RequestSchema):
    password: str = PASSWORD_FIELD


class ErasureRead(Schema):
    """What an erasure removed: rows per table (appointments/prescriptions are kept, de-identified)."""

    erased_at: datetime
    deleted: dict[str, int]
    anonymized: dict[str, int]
