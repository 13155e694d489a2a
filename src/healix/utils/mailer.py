"""Outgoing mail: rendering (Jinja, plain text + HTML) and the delivery backends.

Who gets which mail, and when, is decided in controllers/mail_controller.py; mail is always
sent by a background job (controllers/job_controller.py), never in the request.

Backends (`MAIL_BACKEND`): "log" (default) writes the whole message to the `healix.mail`
logger, which is how development and tests read it (it logs links with tokens: never use it
in production); "smtp" sends with smtplib using the SMTP_* settings (STARTTLS with
`SMTP_USE_TLS`, implicit TLS with `SMTP_USE_SSL`).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any, Protocol

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from healix.config.settings import MailBackend, Settings
from healix.utils.time import utcnow

logger = logging.getLogger("healix.mail")

_templates = Environment(
    loader=PackageLoader("healix", "templates/email"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def render(template: str, context: dict[str, Any]) -> RenderedMail:
    """`<template>.txt` (whose `subject` block is the subject line) and `<template>.html`."""
    text_template = _templates.get_template(f"{template}.txt")
    subject = "".join(text_template.blocks["subject"](text_template.new_context(context)))
    return RenderedMail(
        subject=" ".join(subject.split()),
        text=text_template.render(context),
        html=_templates.get_template(f"{template}.html").render(context),
    )


def message_id(key: str, settings: Settings) -> str:
    """A Message-ID derived from `key` (a job id): a re-sent copy carries the same one, so
    mail clients and servers that de-duplicate by Message-ID show it once."""
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "healix.invalid"
    return f"<{key}@{domain}>"


def build_message(
    *, to: str, mail: RenderedMail, message_id: str, settings: Settings
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = mail.subject
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(utcnow())
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


class MailConnection(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class _LogConnection:
    def send(self, message: EmailMessage) -> None:
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if isinstance(body, EmailMessage) else ""
        logger.info(
            "Mail to %s: %s (%s)\n%s",
            message["To"],
            message["Subject"],
            message["Message-ID"],
            text,
        )


class _SMTPConnection:
    def __init__(self, smtp: smtplib.SMTP) -> None:
        self._smtp = smtp

    def send(self, message: EmailMessage) -> None:
        self._smtp.send_message(message)


@contextmanager
def connection(settings: Settings) -> Iterator[MailConnection]:
    """An open connection to the configured backend; SMTP says QUIT when the block ends."""
    if settings.mail_backend != MailBackend.SMTP:
        yield _LogConnection()
        return
    smtp = _open_smtp(settings)
    try:
        yield _SMTPConnection(smtp)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            # whatever was accepted before QUIT is delivered; a lost goodbye changes nothing
            smtp.close()


def _open_smtp(settings: Settings) -> smtplib.SMTP:
    timeout = settings.smtp_timeout_seconds
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.smtp_use_ssl:
        smtp = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=timeout, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    try:
        if settings.smtp_use_tls and not settings.smtp_use_ssl:
            smtp.starttls(context=context)
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            smtp.login(settings.smtp_username, password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def send(message: EmailMessage, settings: Settings, *, on_accepted: Callable[[], None]) -> None:
    """Send one message; `on_accepted` runs as soon as the server has accepted it (before the
    connection is closed), so the caller records the delivery as early as possible."""
    with connection(settings) as outgoing:
        outgoing.send(message)
        on_accepted()
