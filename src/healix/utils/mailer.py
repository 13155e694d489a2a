"""Outgoing mail, sent only after the transaction that caused it has committed.

`queue_mail()` puts a message in the session's outbox; it is delivered when the session
commits and dropped when it rolls back, so nobody receives a token for an account or a
request that was never saved (and SQLite's write lock is not held during an SMTP dialogue).

Backends (`MAIL_BACKEND`): "log" (default) writes the whole message to the `healix.mail`
logger, which is how development and tests read it; "smtp" sends it with smtplib using the
SMTP_* settings. A delivery failure is logged, never raised: the request already succeeded.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from healix.config import Settings

logger = logging.getLogger("healix.mail")
OUTBOX_KEY = "healix_outbox"


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    body: str
    settings: Settings


def queue_mail(session: Session, *, to: str, subject: str, body: str, settings: Settings) -> None:
    """Deliver a message once the transaction that made it (already begun) commits."""
    session.info.setdefault(OUTBOX_KEY, []).append(OutgoingMail(to, subject, body, settings))


def build_message(mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail.settings.mail_from
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    return message


def deliver(mail: OutgoingMail) -> None:
    """Send one message with the configured backend."""
    message = build_message(mail)
    if mail.settings.mail_backend == "smtp":
        _send_smtp(message, mail.settings)
    else:
        logger.info("Mail to %s: %s\n%s", mail.to, mail.subject, mail.body)


def _send_smtp(message: EmailMessage, settings: Settings) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_use_tls:
            smtp.starttls()
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            smtp.login(settings.smtp_username, password)
        smtp.send_message(message)


@event.listens_for(Session, "after_commit")
def _send_outbox(session: Session) -> None:
    for mail in session.info.pop(OUTBOX_KEY, []):
        try:
            deliver(mail)
        except OSError:  # smtplib.SMTPException included
            logger.exception("Mail delivery failed (subject %r)", mail.subject)


@event.listens_for(Session, "after_soft_rollback")
def _drop_outbox(session: Session, previous_transaction: Any) -> None:
    if not previous_transaction.nested:
        session.info.pop(OUTBOX_KEY, None)
