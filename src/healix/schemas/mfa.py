from __future__ import annotations

from datetime import datetime

from pydantic import Field

from healix.schemas.auth import PASSWORD_FIELD
from healix.schemas.common import RequestSchema, Schema

#: a six-digit TOTP code or a recovery code (`xxxxx-xxxxx`); spaces are ignored
CODE_FIELD = Field(min_length=6, max_length=20, examples=["123456"])
#: the token of a sign-in waiting for its second factor
CHALLENGE_FIELD = Field(min_length=1, max_length=500)


class MfaStatusRead(Schema):
    enabled: bool
    confirmed_at: datetime | None
    recovery_codes_left: int = Field(description="Unused recovery codes (0 while off)")
    required: bool = Field(description="Whether your role must sign in with two factors")


class MfaSetupRead(Schema):
    """A new secret for the authenticator app: show `otpauth_uri` as a QR code, `secret`
    for typing it in. It takes effect once a first code confirms it."""

    secret: str
    otpauth_uri: str


class MfaCode(RequestSchema):
    code: str = CODE_FIELD


class MfaRecoveryCodes(Schema):
    recovery_codes: list[str] = Field(
        description="Ten single-use codes for when the phone is lost; shown only this once"
    )


class MfaDisable(RequestSchema):
    password: str = PASSWORD_FIELD
    code: str = CODE_FIELD


class MfaChallengeRead(Schema):
    """The password was right; the sign-in continues at `POST /api/auth/login/mfa`."""

    mfa_token: str
    expires_in: int = Field(description="Seconds the token stays valid")
    enrolment_required: bool = Field(
        description="The account must set up two-factor sign-in first: call "
        "`POST /api/auth/login/mfa/setup`, then send the first code to `/api/auth/login/mfa`"
    )


class MfaChallenge(RequestSchema):
    mfa_token: str = CHALLENGE_FIELD


class MfaLogin(RequestSchema):
    mfa_token: str = CHALLENGE_FIELD
    code: str = CODE_FIELD
