from __future__ import annotations

import logging

from sqlalchemy import select

from healix.config import Settings
from healix.models import User
from healix.utils import mailer


def _settings(**overrides) -> Settings:
    return Settings(healix_env="testing", _env_file=None, **overrides)


def _mail_records(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "healix.mail"]


def test_queued_mail_is_sent_after_commit(dbs, caplog):
    caplog.set_level(logging.INFO, logger="healix.mail")
    with dbs() as session:
        mailer.queue_mail(
            session, to="a@example.com", subject="Hi", body="tok", settings=_settings()
        )
        assert _mail_records(caplog) == []
    [message] = _mail_records(caplog)
    assert "a@example.com" in message
    assert "tok" in message


def test_queued_mail_is_dropped_on_rollback(dbs, caplog):
    caplog.set_level(logging.INFO, logger="healix.mail")
    with dbs() as session:
        session.execute(select(User.id))
        mailer.queue_mail(session, to="a@example.com", subject="Hi", body="x", settings=_settings())
        session.rollback()
    assert _mail_records(caplog) == []


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout):
        self.calls = [("connect", host, port)]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        self.calls.append(("starttls",))

    def login(self, username, password):
        self.calls.append(("login", username, password))

    def send_message(self, message):
        FakeSMTP.sent.append((self.calls, message))


def test_smtp_backend_uses_the_smtp_settings(monkeypatch):
    monkeypatch.setattr(mailer.smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent.clear()
    settings = _settings(
        mail_backend="smtp",
        smtp_host="mail.example.com",
        smtp_port=2525,
        smtp_username="healix",
        smtp_password="s3cret",
    )
    mailer.deliver(mailer.OutgoingMail("b@example.com", "Subject", "Body", settings))
    [(calls, message)] = FakeSMTP.sent
    assert calls == [
        ("connect", "mail.example.com", 2525),
        ("starttls",),
        ("login", "healix", "s3cret"),
    ]
    assert message["To"] == "b@example.com"
    assert message["From"] == settings.mail_from
    assert message.get_content().strip() == "Body"


def test_a_delivery_failure_is_logged_not_raised(dbs, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no server")

    monkeypatch.setattr(mailer.smtplib, "SMTP", refuse)
    with dbs() as session:
        mailer.queue_mail(
            session,
            to="c@example.com",
            subject="S",
            body="B",
            settings=_settings(mail_backend="smtp", smtp_host="x"),
        )
    assert any(
        "delivery failed" in r.getMessage() for r in caplog.records if r.name == "healix.mail"
    )
