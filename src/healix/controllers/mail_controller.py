"""Email: the kinds of mail, who may receive them, and sending them as background jobs.

A domain controller defines its kinds next to its rules (`define(...)`, one template pair
under templates/email/) and calls `send(session, KIND, user_id=...)` in its transaction; the
job renders and sends the mail after commit. No email contains health data: it says that
something happened and links to the web app, where the reader signs in to see it.

Who receives what: only active accounts; each kind has a category, and the recipient's
notification preferences (models/profile.py, `wants_email`) can switch every category but
security off. The preference is read when the mail is sent, not when it is planned.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from healix.config import Settings
from healix.controllers import job_controller
from healix.controllers.job_controller import Effect, External, Skip
from healix.models.job import Job
from healix.models.profile import EmailCategory, Profile, wants_email
from healix.models.user import User, UserStatus
from healix.utils import mailer
from healix.utils.time import zone

T = TypeVar("T")
MAIL_JOB_PREFIX = "mail."
PREFERENCES_PATH = "/settings/notifications"


class SkipMail(Exception):
    """Raised by a context builder: the mail is no longer relevant (reason kept on the job)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class MailContext:
    """What a context builder gets: the job, its recipient (active) and their profile."""

    session: Session
    job: Job
    recipient: User
    profile: Profile | None
    settings: Settings

    def when(self, moment: datetime) -> str:
        """`moment` in the recipient's time zone, e.g. "Monday 2 March 2026, 10:00 (UTC)"."""
        tz_name = self.profile.timezone if self.profile else "UTC"
        local = moment.astimezone(zone(tz_name))
        return f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({tz_name})"

    def link(self, path: str) -> str:
        return f"{self.settings.app_base_url}{path}"

    def subject(self, model: type[T], what: str) -> T:
        """The record the mail is about (the job's subject_id); gone: the mail is skipped."""
        row = self.session.get(model, self.job.subject_id) if self.job.subject_id else None
        if row is None:
            raise SkipMail(f"the {what} no longer exists")
        return row


ContextBuilder = Callable[[MailContext], dict[str, Any]]


def link_to(model: type[Any], what: str, path: str) -> ContextBuilder:
    """The context of a mail that only says "sign in to see it": a link to `path`, sent
    while the record it is about (the job's subject) still exists."""

    def context(mail: MailContext) -> dict[str, Any]:
        mail.subject(model, what)
        return {"link": mail.link(path)}

    return context


@dataclass(frozen=True)
class MailKind:
    name: str
    category: EmailCategory
    #: the footer's "why you received this"
    reason: str
    context: ContextBuilder

    @property
    def job_kind(self) -> str:
        return MAIL_JOB_PREFIX + self.name


_KINDS: dict[str, MailKind] = {}


def define(name: str, *, category: EmailCategory, reason: str, context: ContextBuilder) -> MailKind:
    """Declare a kind of mail; templates/email/<name>.txt and .html render it."""
    kind = MailKind(name, category, reason, context)
    _KINDS[kind.job_kind] = kind
    job_controller.handler(kind.job_kind, description=f"Email: {reason}")(_deliver)
    return kind


def kinds() -> list[MailKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.name)


def send(
    session: Session,
    kind: MailKind,
    *,
    user_id: uuid.UUID,
    subject_id: uuid.UUID | None = None,
    payload: dict[str, Any] | None = None,
    available_at: datetime | None = None,
    dedupe_key: str | None = None,
) -> Job | None:
    """Mail `kind` to `user_id` once the caller's transaction commits (ids only in payload)."""
    return job_controller.enqueue(
        session,
        kind=kind.job_kind,
        user_id=user_id,
        subject_id=subject_id,
        payload=payload,
        available_at=available_at,
        dedupe_key=dedupe_key,
    )


def _deliver(session: Session, job: Job, settings: Settings) -> Effect:
    """Render the job's mail for its recipient; it is sent once this transaction commits."""
    kind = _KINDS[job.kind]
    recipient = session.get(User, job.user_id) if job.user_id else None
    if recipient is None or recipient.status != UserStatus.ACTIVE:
        return Skip("the recipient is not an active account")
    profile = session.get(Profile, recipient.id)
    if not wants_email(profile, kind.category):
        return Skip(f"the recipient switched off {kind.category} email")
    mail = MailContext(session, job, recipient, profile, settings)
    try:
        specific = kind.context(mail)
    except SkipMail as skipped:
        return Skip(skipped.reason)
    rendered = mailer.render(
        kind.name,
        {
            "first_name": recipient.first_name,
            "clinic_name": settings.clinic_name,
            "app_url": settings.app_base_url,
            "preferences_url": mail.link(PREFERENCES_PATH),
            "reason": kind.reason,
            "always_sent": kind.category == EmailCategory.SECURITY,
            **specific,
        },
    )
    message = mailer.build_message(
        to=recipient.email,
        mail=rendered,
        message_id=mailer.message_id(str(job.id), settings),
        settings=settings,
    )
    return External(
        perform=lambda record: mailer.send(message, settings, on_accepted=record), result="sent"
    )
