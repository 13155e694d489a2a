from __future__ import annotations

import logging

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from jinja2 import UndefinedError

from healix.config import Settings
from healix.utils import mailer
from tests.smtp_server import RecordingHandler, free_port, running_smtp_server

CONTEXT = {
    "first_name": "<b>Jo</b>",
    "clinic_name": "Riverside Clinic",
    "app_url": "https://app.example.com",
    "preferences_url": "https://app.example.com/settings/notifications",
    "reason": "You receive this email because an appointment of yours was booked.",
    "always_sent": False,
    "other_name": "Dr Grey",
    "when": "Monday 2 March 2026, 10:00 (UTC)",
    "link": "https://app.example.com/appointments",
}


def _settings(**overrides) -> Settings:
    return Settings(healix_env="testing", _env_file=None, **overrides)


def _message(settings: Settings) -> mailer.EmailMessage:
    return mailer.build_message(
        to="jo@example.com",
        mail=mailer.render("appointment_booked", CONTEXT),
        message_id=mailer.message_id("job-1", settings),
        settings=settings,
    )


def test_templates_render_subject_text_and_escaped_html():
    rendered = mailer.render("appointment_booked", CONTEXT)
    assert rendered.subject == "New appointment on Monday 2 March 2026, 10:00 (UTC)"
    assert "Hello <b>Jo</b>," in rendered.text
    assert "Hello &lt;b&gt;Jo&lt;/b&gt;," in rendered.html
    for part in (rendered.text, rendered.html):
        assert "Riverside Clinic" in part
        assert CONTEXT["reason"] in part
        assert CONTEXT["preferences_url"] in part
        assert "security message" not in part


def test_a_missing_template_variable_is_an_error():
    without_time = {key: value for key, value in CONTEXT.items() if key != "when"}
    with pytest.raises(UndefinedError, match="'when' is undefined"):
        mailer.render("appointment_booked", without_time)


def test_the_message_has_both_parts_and_a_message_id_from_the_job():
    settings = _settings(mail_from="Riverside <care@riverside.example>")
    message = _message(settings)
    assert message["Message-ID"] == "<job-1@riverside.example>"
    assert message["From"] == "Riverside <care@riverside.example>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    assert "Dr Grey" in message.get_body(preferencelist=("plain",)).get_content()
    assert "<strong>" in message.get_body(preferencelist=("html",)).get_content()


def test_the_log_backend_writes_the_text_to_the_mail_logger(caplog):
    caplog.set_level(logging.INFO, logger="healix.mail")
    accepted = []
    mailer.send(_message(_settings()), _settings(), on_accepted=lambda: accepted.append(1))
    [record] = [r.getMessage() for r in caplog.records if r.name == "healix.mail"]
    assert "jo@example.com" in record
    assert "Dr Grey" in record
    assert accepted == [1]


def test_the_smtp_backend_delivers_to_a_real_server():
    with running_smtp_server() as server:
        settings = _settings(**server.settings())
        accepted = []
        mailer.send(_message(settings), settings, on_accepted=lambda: accepted.append(1))
        [message] = server.messages
    assert accepted == [1]
    assert message["To"] == "jo@example.com"
    assert message["Message-ID"] == "<job-1@healix-demo.com>"


def test_the_smtp_backend_signs_in_with_the_configured_credentials():
    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        seen.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    port = free_port()
    handler = RecordingHandler()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        settings = _settings(
            mail_backend="smtp",
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_use_tls=False,
            smtp_username="healix",
            smtp_password="s3cret",
        )
        mailer.send(_message(settings), settings, on_accepted=lambda: None)
    finally:
        controller.stop()
    assert seen == [(b"healix", b"s3cret")]
    assert len(handler.messages) == 1


class FakeSMTP:
    """Records the dialogue: TLS needs a certificate the test server does not have."""

    opened: list = []

    def __init__(self, host, port, timeout, **kwargs):
        self.calls = [(type(self).__name__, host, port, "context" in kwargs)]
        FakeSMTP.opened.append(self)

    def starttls(self, context):
        self.calls.append(("starttls",))

    def login(self, username, password):
        self.calls.append(("login", username, password))

    def send_message(self, message):
        self.calls.append(("send", message["To"]))

    def quit(self):
        self.calls.append(("quit",))


class FakeSMTPSSL(FakeSMTP):
    pass


@pytest.mark.parametrize(
    ("flags", "expected_start"),
    [
        ({"smtp_use_tls": True}, [("FakeSMTP", "mail.example.com", 587, False), ("starttls",)]),
        (
            {"smtp_use_ssl": True, "smtp_port": 465},
            [("FakeSMTPSSL", "mail.example.com", 465, True)],
        ),
    ],
)
def test_starttls_or_implicit_tls_then_login(monkeypatch, flags, expected_start):
    monkeypatch.setattr(mailer.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(mailer.smtplib, "SMTP_SSL", FakeSMTPSSL)
    FakeSMTP.opened.clear()
    settings = _settings(
        mail_backend="smtp",
        smtp_host="mail.example.com",
        smtp_username="healix",
        smtp_password="s3cret",
        **flags,
    )
    order = []
    mailer.send(_message(settings), settings, on_accepted=lambda: order.append("recorded"))
    [smtp] = FakeSMTP.opened
    assert smtp.calls == [
        *expected_start,
        ("login", "healix", "s3cret"),
        ("send", "jo@example.com"),
        ("quit",),
    ]
    assert order == ["recorded"]


def test_a_lost_goodbye_after_acceptance_is_not_an_error(monkeypatch):
    class NoGoodbye(FakeSMTP):
        def quit(self):
            raise mailer.smtplib.SMTPServerDisconnected("gone")

        def close(self):
            self.calls.append(("close",))

    monkeypatch.setattr(mailer.smtplib, "SMTP", NoGoodbye)
    FakeSMTP.opened.clear()
    settings = _settings(mail_backend="smtp", smtp_host="mail.example.com", smtp_use_tls=False)
    mailer.send(_message(settings), settings, on_accepted=lambda: None)
    assert FakeSMTP.opened[0].calls[-1] == ("close",)
