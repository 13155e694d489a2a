from __future__ import annotations

from pydantic import ConfigDict, EmailStr, Field

from healix.schemas.common import RequestSchema, Schema
from healix.schemas.profile import ProfileRead

PASSWORD_FIELD = Field(min_length=1, max_length=1024)


class RegisterRequest(RequestSchema):
    """Self-registration always creates a patient; any `role` sent is ignored."""

    model_config = ConfigDict(
        extra="ignore",
        str_strip_whitespace=True,
        json_schema_extra={
            "example": {
                "email": "jane@example.com",
                "password": "a-Long-unique-passphrase-7",
                "first_name": "Jane",
                "last_name": "Doe",
            }
        },
    )

    email: EmailStr = Field(max_length=320)
    password: str = PASSWORD_FIELD
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)


class RegistrationAccepted(Schema):
    """The same answer for a new and an already registered address."""

    message: str


class VerifyEmailRequest(RequestSchema):
    token: str = Field(min_length=1, max_length=500)


class UnlockRequest(RequestSchema):
    token: str = Field(min_length=1, max_length=500)


class LoginRequest(RequestSchema):
    email: str = Field(min_length=1, max_length=320)
    password: str = PASSWORD_FIELD


class ChangePasswordRequest(RequestSchema):
    current_password: str = PASSWORD_FIELD
    new_password: str = PASSWORD_FIELD


class TokenPair(Schema):
    access_token: str
    refresh_token: str | None = Field(
        default=None,
        description="null for the web app (`X-Healix-Client: web`): its refresh token is in "
        "the HttpOnly cookie `healix_refresh` instead",
    )
    token_type: str = "Bearer"
    expires_in: int = Field(description="Access token lifetime in seconds")


class AuthResponse(TokenPair):
    user: ProfileRead = Field(description="The signed-in user with their profile")
    recovery_codes: list[str] | None = Field(
        default=None,
        description="Only when this sign-in set up two-factor sign-in: the ten single-use "
        "recovery codes, shown this once",
    )
