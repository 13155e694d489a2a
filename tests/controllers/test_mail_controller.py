"""Which mails go out, to whom, with what (never health data), under which preferences.

These run without a broker: each job runs in-process right after its request commits and the
log backend records the mail, exactly as a worker would send it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from healix.controllers import mail_controller, password_reset_controller
from healix.models.job import Job, JobStatus
from healix.models.profile import Profile
from healix.models.user import User, UserStatus
from tests.factories.appointments import book, next_monday_at
from tests.factories.devices import ingest, reading, register_device
from tests.factories.prescriptions import make_prescription, make_refill
from tests.mails import capture_mails, logged_mails

TEMPLATES = Path(mail_controller.__file__).resolve().parents[1] / "templates" / "email"
PREFERENCES_LINK = "http://127.0.0.1:5000/settings/notifications"


@pytest.fixture(autouse=True)
def _mails(caplog):
    capture_mails(caplog)


def _set_notifications(dbs, user_id, **notifications: bool) -> None:
    with dbs() as session:
        session.add(Profile(user_id=user_id, preferences={"notifications": notifications}))


def _jobs(dbs, kind: str) -> list[Job]:
    with dbs() as session:
        jobs = list(session.scalars(select(Job).where(Job.kind == kind).order_by(Job.created_at)))
        session.expunge_all()
    return jobs


def test_every_kind_has_a_text_and_an_html_template():
    for kind in mail_controller.kinds():
        for suffix in ("txt", "html"):
            assert (TEMPLATES / f"{kind.name}.{suffix}").is_file(), kind.name


def test_a_booking_mails_the_other_party_only(client, caplog, patient, provider):
    response = book(
        client,
        patient,
        provider=provider,
        start=next_monday_at(10, weeks_ahead=1),
        reason="Chest pain",
        notes="Since Tuesday",
    )
    assert response.status_code == 201
    [mail] = logged_mails(caplog)
    assert mail.to == provider.user.email
    assert mail.subject.startswith("New appointment on Monday")
    assert f"An appointment with {patient.user.first_name}" in mail.text
    assert "Chest pain" not in mail.text
    assert "Since Tuesday" not in mail.text
    assert "because an appointment of yours was booked" in mail.text
    assert PREFERENCES_LINK in mail.text


def test_times_are_shown_in_the_recipients_time_zone(client, caplog, dbs, patient, provider):
    with dbs() as session:
        session.add(Profile(user_id=provider.id, timezone="Asia/Tokyo"))
    # 01:00 UTC is 10:00 in Tokyo, inside the provider's default working hours there
    response = book(client, patient, provider=provider, start=next_monday_at(1, weeks_ahead=1))
    assert response.status_code == 201, response.get_json()
    [mail] = logged_mails(caplog)
    assert "Monday" in mail.subject
    assert "10:00 (Asia/Tokyo)" in mail.text


@pytest.mark.parametrize(
    "notifications", [{"email_appointments": False}, {"email": False}], ids=["kind", "all"]
)
def test_preferences_switch_email_off(client, caplog, dbs, patient, provider, notifications):
    _set_notifications(dbs, provider.id, **notifications)
    book(client, patient, provider=provider, start=next_monday_at(10, weeks_ahead=1))
    assert logged_mails(caplog) == []
    [job] = _jobs(dbs, "mail.appointment_booked")
    assert job.status == JobStatus.SKIPPED
    assert job.result == "the recipient switched off appointments email"


def test_another_kind_still_arrives_when_one_is_off(
    client, caplog, dbs, patient, provider, care_link
):
    care_link(provider, patient)
    _set_notifications(dbs, patient.id, email_reminders=False)
    response = book(client, provider, patient=patient, start=next_monday_at(10, weeks_ahead=1))
    assert response.status_code == 201, response.get_json()
    assert [mail.to for mail in logged_mails(caplog)] == [patient.user.email]


def test_security_mail_cannot_be_switched_off(client, caplog, dbs, patient):
    _set_notifications(dbs, patient.id, email=False)
    response = client.post("/api/auth/password-reset/request", json={"email": patient.user.email})
    assert response.status_code == 202
    [mail] = logged_mails(caplog)
    assert mail.to == patient.user.email
    assert "http://127.0.0.1:5000/reset-password#token=hxp_" in mail.text
    assert "security message" in mail.text


def test_an_invitation_links_to_the_set_password_page_with_the_issued_token(client, caplog, admin):
    response = client.post(
        "/api/admin/providers",
        json={
            "email": "new.doc@example.com",
            "first_name": "New",
            "last_name": "Doc",
            "specialization": "Cardiology",
            "licence_number": "GMC-1",
        },
        headers=admin.headers,
    )
    assert response.status_code == 201
    token = response.get_json()["password_set_token"]
    [mail] = logged_mails(caplog)
    assert mail.to == "new.doc@example.com"
    assert f"http://127.0.0.1:5000/set-password#token={token}" in mail.text


def test_critical_alerts_mail_the_patient_and_the_care_team_without_values(
    client, caplog, patient, provider, care_link
):
    care_link(provider, patient)
    device_key = register_device(client, patient)[1]
    response = ingest(client, device_key, [reading("spo2", 85, "%")])
    assert response.get_json()["alerts_created"] == 1
    mails = logged_mails(caplog)
    assert sorted(mail.to for mail in mails) == sorted([patient.user.email, provider.user.email])
    by_recipient = {mail.to: mail.text for mail in mails}
    assert "You have a new critical alert" in by_recipient[patient.user.email]
    assert "A patient in your care has a new critical alert" in by_recipient[provider.user.email]
    for text in by_recipient.values():
        for clinical in ("85", "spo2", "SpO2", "oxygen", patient.user.last_name):
            assert clinical not in text


def test_a_warning_alert_sends_no_mail(client, caplog, patient):
    device_key = register_device(client, patient)[1]
    ingest(client, device_key, [reading(value=120)])
    assert logged_mails(caplog) == []


def test_a_refill_decision_mails_the_patient_without_the_medication(
    app, client, caplog, patient, provider
):
    rx = make_prescription(app, provider=provider, patient=patient, medication_name="Sertraline")
    refill = make_refill(app, prescription_id=rx, patient=patient)
    decided = client.patch(
        f"/api/prescriptions/{rx}/refill-requests/{refill}",
        json={"status": "denied", "note": "See me first"},
        headers=provider.headers,
    )
    assert decided.status_code == 200
    [mail] = logged_mails(caplog)
    assert mail.to == patient.user.email
    assert "Your refill request has been answered" in mail.text
    for private in ("Sertraline", "denied", "See me first"):
        assert private not in mail.text


def test_emergency_access_mails_the_patient_even_with_email_off(
    client, caplog, dbs, patient, provider
):
    _set_notifications(dbs, patient.id, email=False)
    response = client.post(
        f"/api/patients/{patient.id}/emergency-access",
        json={"reason": "Unconscious in A&E"},
        headers=provider.headers,
    )
    assert response.status_code == 201
    [mail] = logged_mails(caplog)
    assert mail.to == patient.user.email
    assert "a provider opened emergency access to your health records" in mail.text
    assert "Unconscious" not in mail.text
    assert provider.user.first_name not in mail.text


def test_an_inactive_recipient_gets_nothing(caplog, dbs, provider):
    with dbs() as session:
        session.get(User, provider.id).status = UserStatus.INACTIVE
    with dbs() as session:
        mail_controller.send(session, password_reset_controller.RESET_MAIL, user_id=provider.id)
    assert logged_mails(caplog) == []
    [stored] = _jobs(dbs, password_reset_controller.RESET_MAIL.job_kind)
    assert stored.status == JobStatus.SKIPPED
    assert stored.result == "the recipient is not an active account"
