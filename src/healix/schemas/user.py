from __future__ import annotations

import uuid
from datetime import datetime

from healix.schemas.common import Schema


class UserRead(Schema):
    """A user as the API shows it — never the password hash."""

    id: uuid.UUID
    email: str
    role: str
    status: str
    first_name: str
    last_name: str
    created_at: datetime
