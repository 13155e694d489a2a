"""A bounded property-based run of the whole API against its own OpenAPI document
(schemathesis): every operation, with a patient's, a provider's and an admin's token, with
valid (positive) and invalid (negative) data.

Conformance: every response keeps the contract — no 5xx, every status code and content type
documented, every body matching its schema — with no exception.

Acceptance: valid data is accepted and invalid data refused, except where a business rule
decides what no schema can say; each such rule is listed in ACCEPTANCE_EXCEPTIONS with the
field it concerns (rules the schema can say — ranges, formats, enums, required and
non-nullable fields — are in the schema instead).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from healix import create_app
from healix.config import Settings
from healix.schemas.common import YEAR_RANGE_MESSAGE
from tests.factories.devices import register_device

#: examples per operation, role and mode: bounded so the whole run stays around a minute
MAX_EXAMPLES = 6
ROLES = ("patient", "provider", "admin")

CURSOR = (
    "a cursor is valid only as the `next_cursor` the API issued; the schema can only say string"
)
PATIENT_ID = (
    '`patient_id` may be left out by a patient (it means "me"); providers and admins must name one'
)
PERIOD = "`from` must be before `to` (a rule between two fields), both within the years 1900-2999"
PASSWORD = "the password policy: 12+ characters, not a common password, not the email's name"
UNIT = "a reading's unit must be one its type accepts (GET /api/biomarkers/types lists them)"
BOOKING = (
    "a booking starts in the future, inside the provider's working hours, with exactly one "
    "of end_time and duration_minutes, and names the parties the caller's role requires"
)
IN_FUTURE = "the end of a consent must lie in the future (it depends on the clock)"
GOAL_UNIT = "a goal's unit must suit its type, and a custom goal needs one"
GOAL_DATES = "a goal's end date must not be before its start date (two fields, or the stored one)"
CHANGE = "an appointment change is a reschedule, a status change or an edit, consistently"
NOT_FUTURE = "a date of birth must not be in the future (it depends on the clock)"
EMAIL = (
    "an email address must be deliverable in form (email-validator), stricter than `format: email`"
)
BOUNDS = "thresholds are ordered: critical_min <= warning_min < warning_max <= critical_max, one at least"
INTERVAL = "a working interval starts before it ends"
EXPORT_FILE = (
    "an uploaded file must be an export Healix reads (Apple Health, Fitbit, FIT, CSV): "
    "a content check no schema can state"
)
PROVIDER_ONLY = (
    "specialization and licence_number belong to providers (a rule on the caller's role)"
)
SETTING_NAMES = (
    "notification setting names are lower-case identifiers: the model says so with "
    "propertyNames, which flask-openapi3's schema objects do not carry into the document"
)

#: operation -> {field (or a prefix of its path): the business rule that refuses valid-looking data}
ACCEPTANCE_EXCEPTIONS: dict[str, dict[str, str]] = {
    "GET /api/biomarkers/current": {"patient_id": PATIENT_ID},
    "GET /api/biomarkers/history": {
        "patient_id": PATIENT_ID,
        "from": PERIOD,
        "to": PERIOD,
        "body": PERIOD,
    },
    "GET /api/biomarkers/summary": {
        "patient_id": PATIENT_ID,
        "from": PERIOD,
        "to": PERIOD,
        "body": PERIOD,
    },
    "GET /api/biomarkers/thresholds": {"patient_id": PATIENT_ID},
    "DELETE /api/biomarkers/thresholds/{biomarker_type}": {"patient_id": PATIENT_ID},
    "GET /api/goals": {"patient_id": PATIENT_ID},
    "GET /api/export/report.pdf": {
        "patient_id": PATIENT_ID,
        "from": PERIOD,
        "to": PERIOD,
        "body": PERIOD,
    },
    "POST /api/export/report.pdf": {
        "patient_id": PATIENT_ID,
        "from": PERIOD,
        "to": PERIOD,
        "body": PERIOD,
    },
    "GET /api/export/fhir": {
        "patient_id": PATIENT_ID,
        "from": PERIOD,
        "to": PERIOD,
        "body": PERIOD,
    },
    "GET /api/export/readings.csv": {
        "patient_id": PATIENT_ID,
        "from": PERIOD,
        "to": PERIOD,
        "body": PERIOD,
    },
    "GET /api/appointments": {"from": PERIOD, "to": PERIOD, "body": PERIOD},
    "GET /api/audit-logs": {"from": PERIOD, "to": PERIOD, "body": PERIOD},
    "POST /api/auth/register": {"password": PASSWORD, "email": EMAIL},
    "POST /api/admin/providers": {"email": EMAIL},
    "PATCH /api/users/me": {
        "date_of_birth": NOT_FUTURE,
        "specialization": PROVIDER_ONLY,
        "licence_number": PROVIDER_ONLY,
        "preferences.notifications": SETTING_NAMES,
    },
    "PUT /api/biomarkers/thresholds/{biomarker_type}": {"patient_id": PATIENT_ID, "body": BOUNDS},
    "PUT /api/providers/me/schedule": {"days": INTERVAL},
    "POST /api/auth/password-reset/confirm": {"new_password": PASSWORD},
    "POST /api/auth/change-password": {"new_password": PASSWORD},
    "POST /api/biomarkers": {"readings": UNIT},
    "POST /api/devices/ingest": {"readings": UNIT},
    "POST /api/imports": {"file": EXPORT_FILE},
    "POST /api/appointments": {
        "body": BOOKING,
        "start_time": BOOKING,
        "end_time": BOOKING,
        "patient_id": BOOKING,
        "provider_id": BOOKING,
    },
    "PATCH /api/appointments/{appointment_id}": {"body": CHANGE},
    "POST /api/care-team": {"valid_until": IN_FUTURE},
    "POST /api/admin/relationships": {"valid_until": IN_FUTURE},
    "POST /api/goals": {"unit": GOAL_UNIT, "end_date": GOAL_DATES, "body": GOAL_DATES},
    "PATCH /api/goals/{goal_id}": {"unit": GOAL_UNIT, "end_date": GOAL_DATES, "body": GOAL_DATES},
}
#: every list takes a cursor
ANY_OPERATION = {"cursor": CURSOR}
#: refusals any field of a date or date-time may give (`format: date` cannot say a range)
YEARS = f"every date and time {YEAR_RANGE_MESSAGE}, so that time-zone arithmetic stays in range"


def _document() -> dict:
    settings_ = Settings(
        healix_env="testing", instance_path=Path(tempfile.mkdtemp()), _env_file=None
    )
    return create_app(settings_).api_doc


OPERATIONS = sorted(
    f"{method.upper()} {path}" for path, item in _document()["paths"].items() for method in item
)


def explained(label: str, loc: str) -> str | None:
    """The business rule that lets the API refuse valid-looking data at `loc`, if any."""
    rules = {**ANY_OPERATION, **ACCEPTANCE_EXCEPTIONS.get(label, {})}
    for field, rule in rules.items():
        if loc == field or loc.startswith((f"{field}.", f"{field}[")):
            return rule
    return None


def check_acceptance(label: str, mode: GenerationMode, response) -> None:
    """schemathesis's positive_data_acceptance, with the business-rule exceptions above
    (its negative_data_rejection runs unchanged: invalid data is always refused)."""
    if mode is GenerationMode.POSITIVE and response.status_code == 422:
        locs = {
            error["loc"]
            for error in response.json()["errors"]
            if not error["msg"].endswith(YEAR_RANGE_MESSAGE)  # the YEARS rule
        }
        unexplained = sorted(loc for loc in locs if explained(label, loc) is None)
        assert not unexplained, f"{label}: valid data refused at {unexplained}: {response.text}"


@pytest.fixture
def credentials(client, signed_in, care_link):
    """A patient in a provider's care with a device, and an admin: their request headers."""
    patient = signed_in(role="patient")
    provider = signed_in(role="provider")
    admin = signed_in(role="admin")
    care_link(provider, patient)
    _, device_key = register_device(client, patient)
    return {
        role: {**person.headers, "X-Device-Key": device_key}
        for role, person in (("patient", patient), ("provider", provider), ("admin", admin))
    }


@pytest.fixture(scope="session")
def api(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def _modes(operation) -> list[GenerationMode]:
    """Negative data needs something to break: an operation without inputs has none."""
    has_inputs = any(True for _ in operation.iter_parameters()) or bool(operation.body)
    return (
        [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
        if has_inputs
        else [GenerationMode.POSITIVE]
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", OPERATIONS)
def test_the_api_keeps_its_contract(api, credentials, label, role):
    operation = api.find_operation_by_label(label)
    headers = credentials[role]
    for mode in _modes(operation):
        _run(operation, label, mode, headers)


def _run(operation, label: str, mode: GenerationMode, headers: dict[str, str]) -> None:
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        response = case.call(headers=headers)
        case.validate_response(
            response,
            headers=headers,
            excluded_checks=[positive_data_acceptance],
        )
        check_acceptance(label, mode, response)

    check()


def test_every_exception_names_a_documented_operation():
    assert set(ACCEPTANCE_EXCEPTIONS) <= set(OPERATIONS)
