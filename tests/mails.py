"""Reading the mails the log backend wrote (the default backend in tests: jobs run in-process
right after commit, so a request's mails are in the log when the response arrives)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class LoggedMail:
    to: str
    subject: str
    message_id: str
    text: str


def capture_mails(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="healix.mail")


def logged_mails(caplog: pytest.LogCaptureFixture, to: str | None = None) -> list[LoggedMail]:
    mails = [
        LoggedMail(*(str(arg) for arg in record.args))  # type: ignore[union-attr]
        for record in caplog.records
        if record.name == "healix.mail" and record.args
    ]
    return [mail for mail in mails if to is None or mail.to == to]
