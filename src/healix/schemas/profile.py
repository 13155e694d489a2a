"""Your own profile (`/api/users/me`) and the provider directory (`/api/providers`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints, WithJsonSchema, field_validator

from healix.biomarker_catalog import Units
from healix.models.profile import NOTIFICATION_DEFAULTS, Profile
from healix.models.user import User
from healix.schemas.common import OMITTABLE, IanaZone, PageQuery, RequestSchema, Schema
from healix.utils.time import utcnow

#: the account fields shown with a profile (stored on `users`)
ACCOUNT_FIELDS = (
    "id",
    "email",
    "role",
    "status",
    "created_at",
    "first_name",
    "last_name",
    "specialization",
    "licence_number",
)
#: the fields stored on `profiles`
PROFILE_FIELDS = ("date_of_birth", "gender", "phone", "health_conditions", "timezone")


#: a notification setting's name, e.g. "email", "in_app", "email_reminders" (see NOTIFICATION_DEFAULTS)
NotificationKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
HealthCondition = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]

DEFAULT_NOTIFICATIONS = NOTIFICATION_DEFAULTS

#: the settings sent in an update; documented as a map of booleans (pydantic would write
#: `patternProperties`, which the OpenAPI document does not carry, leaving clients untyped)
NotificationSettings = Annotated[
    dict[NotificationKey, bool],
    WithJsonSchema(
        {
            "type": "object",
            "additionalProperties": {"type": "boolean"},
            "propertyNames": {"pattern": r"^[a-z][a-z0-9_]{0,39}$"},
            "maxProperties": 20,
        }
    ),
]


class PreferencesUpdate(RequestSchema):
    """Sent keys replace the stored ones; notification settings are merged key by key."""

    units: Units | None = OMITTABLE
    notifications: Annotated[NotificationSettings, Field(max_length=20)] | None = OMITTABLE

    @field_validator("units", "notifications")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may be omitted but not null")
        return value


class ProfileUpdate(RequestSchema):
    """Fields of your own profile; omitted fields stay as they are. `specialization` and
    `licence_number` are for providers only."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "phone": "+44 20 7946 0000",
                "timezone": "Europe/London",
                "preferences": {"units": "metric", "notifications": {"email": False}},
            }
        }
    )

    first_name: Annotated[str, Field(min_length=1, max_length=100)] | None = OMITTABLE
    last_name: Annotated[str, Field(min_length=1, max_length=100)] | None = OMITTABLE
    date_of_birth: date | None = None
    gender: str | None = Field(default=None, min_length=1, max_length=40)
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 ().-]{3,40}$")
    health_conditions: Annotated[list[HealthCondition], Field(max_length=50)] | None = OMITTABLE
    timezone: IanaZone | None = OMITTABLE
    preferences: PreferencesUpdate | None = OMITTABLE
    specialization: str | None = Field(default=None, min_length=1, max_length=120)
    licence_number: str | None = Field(default=None, min_length=1, max_length=64)

    @field_validator("first_name", "last_name", "health_conditions", "timezone", "preferences")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may be omitted but not null")
        return value

    @field_validator("date_of_birth")
    @classmethod
    def _not_in_future(cls, value: date | None) -> date | None:
        if value is not None and value > utcnow().date():
            raise ValueError("must not be in the future")
        return value


class PreferencesRead(Schema):
    units: Units = Units.METRIC
    notifications: dict[str, bool] = Field(
        default_factory=lambda: dict(DEFAULT_NOTIFICATIONS),
        description="email (every optional email), in_app, and email_<category> for the "
        "categories appointments, reminders, alerts and prescriptions; security email is "
        "always sent",
    )

    @field_validator("notifications")
    @classmethod
    def _with_defaults(cls, value: dict[str, bool]) -> dict[str, bool]:
        return {**DEFAULT_NOTIFICATIONS, **value}


class ProfileRead(Schema):
    """The signed-in user with their profile (defaults when no profile was saved yet)."""

    id: uuid.UUID
    email: str
    role: str
    status: str
    first_name: str
    last_name: str
    specialization: str | None = None
    licence_number: str | None = None
    created_at: datetime
    date_of_birth: date | None = None
    gender: str | None = None
    phone: str | None = None
    health_conditions: list[str] = Field(default_factory=list)
    timezone: str = "UTC"
    preferences: PreferencesRead = Field(default_factory=PreferencesRead)

    @classmethod
    def of(cls, user: User, profile: Profile | None) -> ProfileRead:
        """The user's fields merged with their profile's (defaults when there is none)."""
        data: dict[str, Any] = {field: getattr(user, field) for field in ACCOUNT_FIELDS}
        if profile is not None:
            data |= {field: getattr(profile, field) for field in PROFILE_FIELDS}
            data["preferences"] = profile.preferences or {}
        return cls.model_validate(data)


class ProviderQuery(PageQuery):
    q: str | None = Field(default=None, max_length=100, description="Part of a name")
    specialization: str | None = Field(default=None, max_length=120)


class ProviderListing(Schema):
    """A provider as the directory shows them to any signed-in user (no contact details)."""

    id: uuid.UUID
    first_name: str
    last_name: str
    specialization: str | None = None
