"""Threshold alerts: raised while readings are stored, then handled by patients and providers.

Rules for raising (per patient and biomarker type, once per batch):

- A stored ok reading beyond a warning or critical bound of the patient's effective
  thresholds is a breach. Faulty readings never count.
- An open alert absorbs further breaches: `occurrences` grows, `last_value`/`last_seen_at`
  follow the newest reading. No new row, no new notification.
- Escalation is in place: a critical breach turns an open *warning* alert into a critical
  one (same row, severity raised, threshold updated) rather than opening a second alert;
  while a critical alert is open, warning-level breaches count towards it. So a type has one
  open alert at a time and its severity only rises until someone acknowledges, dismisses or
  resolves it.
- A new alert notifies the patient; a critical alert (new or escalated) also notifies the
  providers in an active care relationship.

Breaches are grouped by type in memory; the database sees one thresholds query, one query
for the open alerts of the breached types, one for the providers, and the writes.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.biomarker_catalog import CATALOG, Thresholds
from healix.controllers import mail_controller
from healix.controllers.access import (
    access_denied,
    active_relationship_clause,
    ensure_patient_access,
    patient_filter,
)
from healix.controllers.notification_controller import notify
from healix.controllers.threshold_controller import Level, classify, effective_thresholds
from healix.db import changed_rows, transaction_lock
from healix.exceptions import Conflict
from healix.models.alert import Alert, AlertSeverity, AlertStatus
from healix.models.base import uuid7
from healix.models.profile import EmailCategory
from healix.models.provider_patient_relationship import (
    ProviderPatientRelationship,
    RelationshipKind,
)
from healix.models.user import User
from healix.schemas.alert import AlertUpdate
from healix.utils.pagination import Paged, keyset_page
from healix.utils.time import utcnow

NOTIFICATION_KIND = "biomarker_alert"
#: status changes allowed from each status (resolved and dismissed are final)
_TRANSITIONS: dict[str, frozenset[str]] = {
    AlertStatus.OPEN: frozenset(
        {AlertStatus.ACKNOWLEDGED, AlertStatus.DISMISSED, AlertStatus.RESOLVED}
    ),
    AlertStatus.ACKNOWLEDGED: frozenset({AlertStatus.DISMISSED, AlertStatus.RESOLVED}),
}


@dataclass(frozen=True)
class _Breach:
    level: Level
    bound: float
    value: float
    measured_at: datetime


def raise_alerts(
    session: Session,
    *,
    patient: User,
    readings: Iterable[tuple[str, float, datetime]],
    thresholds: dict[str, Thresholds] | None = None,
) -> int:
    """Open or update alerts for `(type, canonical value, measured_at)` readings that cross
    the patient's thresholds (`thresholds`: their effective ones, if already loaded).
    Returns the number of new alert rows."""
    if thresholds is None:
        thresholds = effective_thresholds(session, patient_id=patient.id)
    breaches = _breaches_by_type(thresholds, readings=readings)
    if not breaches:
        return 0
    # one writer per patient at a time: the open-alert check and the insert must not interleave
    transaction_lock(session, f"healix.alerts:{patient.id}")
    open_alerts = _open_alerts(session, patient_id=patient.id, types=breaches.keys())
    created: list[Alert] = []
    newly_critical: list[Alert] = []
    for code, items in breaches.items():
        alert, is_new, became_critical = _record_breaches(
            session, patient.id, code, items, open_alerts
        )
        if is_new:
            created.append(alert)
        if became_critical:
            newly_critical.append(alert)
    session.flush()
    _notify(session, patient=patient, created=created, newly_critical=newly_critical)
    return len(created)


def newest_breaches(
    session: Session, *, patient_id: uuid.UUID, readings: Iterable[tuple[str, float, datetime]]
) -> dict[str, tuple[float, datetime]]:
    """The newest breaching reading per type, `type -> (value, measured_at)`: what an import
    of old data raises alerts for (one per type) instead of one per breach."""
    thresholds = effective_thresholds(session, patient_id=patient_id)
    breaches = _breaches_by_type(thresholds, readings=readings)
    return {code: (items[-1].value, items[-1].measured_at) for code, items in breaches.items()}


def _breaches_by_type(
    thresholds: dict[str, Thresholds], *, readings: Iterable[tuple[str, float, datetime]]
) -> dict[str, list[_Breach]]:
    breaches: dict[str, list[_Breach]] = defaultdict(list)
    for code, value, measured_at in readings:
        level, bound = classify(value, thresholds[code])
        if level != Level.NORMAL and bound is not None:
            breaches[code].append(_Breach(level, bound, value, measured_at))
    for items in breaches.values():
        items.sort(key=lambda breach: breach.measured_at)
    return breaches


def _open_alerts(
    session: Session, *, patient_id: uuid.UUID, types: Iterable[str]
) -> dict[tuple[str, str], Alert]:
    rows = session.scalars(
        select(Alert).where(
            Alert.patient_id == patient_id,
            Alert.status == AlertStatus.OPEN,
            Alert.biomarker_type.in_(list(types)),
        )
    )
    return {(row.biomarker_type, row.severity): row for row in rows}


def _record_breaches(
    session: Session,
    patient_id: uuid.UUID,
    code: str,
    items: list[_Breach],
    open_alerts: dict[tuple[str, str], Alert],
) -> tuple[Alert, bool, bool]:
    """Apply one type's breaches; returns (alert, is_new, became_critical)."""
    criticals = [item for item in items if item.level == Level.CRITICAL]
    open_critical = open_alerts.get((code, AlertSeverity.CRITICAL))
    open_warning = open_alerts.get((code, AlertSeverity.WARNING))
    if open_critical is not None:
        _absorb(open_critical, items)
        return open_critical, False, False
    if open_warning is not None and criticals:
        _escalate(open_warning, code, criticals[0])
        _absorb(open_warning, items)
        return open_warning, False, True
    if open_warning is not None:
        _absorb(open_warning, items)
        return open_warning, False, False
    first = criticals[0] if criticals else items[0]
    alert = Alert(
        id=uuid7(),
        patient_id=patient_id,
        biomarker_type=code,
        severity=AlertSeverity.CRITICAL if criticals else AlertSeverity.WARNING,
        threshold_value=first.bound,
        observed_value=first.value,
        last_value=items[-1].value,
        message=_message(code, first),
        status=AlertStatus.OPEN,
        occurrences=len(items),
        first_seen_at=items[0].measured_at,
        last_seen_at=items[-1].measured_at,
    )
    session.add(alert)
    return alert, True, bool(criticals)


def _absorb(alert: Alert, items: list[_Breach]) -> None:
    alert.occurrences += len(items)
    newest = items[-1]
    if newest.measured_at >= alert.last_seen_at:
        alert.last_value, alert.last_seen_at = newest.value, newest.measured_at
    alert.first_seen_at = min(alert.first_seen_at, items[0].measured_at)


def _escalate(alert: Alert, code: str, breach: _Breach) -> None:
    alert.severity = AlertSeverity.CRITICAL
    alert.threshold_value = breach.bound
    alert.observed_value = breach.value
    alert.message = _message(code, breach)


def _message(code: str, breach: _Breach) -> str:
    entry = CATALOG[code]
    direction = "below" if breach.value < breach.bound else "above"
    unit = entry.unit_label(entry.unit)
    return f"{entry.display_name} {direction} the {breach.level} limit of {breach.bound:g} {unit}."


def _care_providers(session: Session, patient_id: uuid.UUID) -> list[uuid.UUID]:
    rel = ProviderPatientRelationship
    return list(
        session.scalars(
            select(rel.provider_id)
            .where(
                rel.patient_id == patient_id,
                rel.kind == RelationshipKind.CARE,
                active_relationship_clause(),
            )
            .distinct()
        )
    )


def _notify(
    session: Session, *, patient: User, created: list[Alert], newly_critical: list[Alert]
) -> None:
    """The patient hears of each new or escalated alert; care providers of critical ones."""
    for alert in {alert.id: alert for alert in [*created, *newly_critical]}.values():
        name = CATALOG[alert.biomarker_type].display_name
        notify(
            session,
            user_id=patient.id,
            kind=NOTIFICATION_KIND,
            title=f"{alert.severity.title()} alert: {name}",
            body=f"A {name.lower()} reading crossed your {alert.severity} limit.",
            data={"alert_id": str(alert.id), "biomarker_type": alert.biomarker_type},
        )
    if not newly_critical:
        return
    critical_ids = [str(alert.id) for alert in newly_critical]
    mail_controller.send(
        session,
        CRITICAL_ALERT_MAIL,
        user_id=patient.id,
        subject_id=newly_critical[0].id,
        payload={"alert_ids": critical_ids, "for_provider": False},
    )
    patient_name = f"{patient.first_name} {patient.last_name}"
    for provider_id in _care_providers(session, patient.id):
        mail_controller.send(
            session,
            CRITICAL_ALERT_MAIL,
            user_id=provider_id,
            subject_id=newly_critical[0].id,
            payload={"alert_ids": critical_ids, "for_provider": True},
        )
        for alert in newly_critical:
            name = CATALOG[alert.biomarker_type].display_name
            notify(
                session,
                user_id=provider_id,
                kind=NOTIFICATION_KIND,
                title=f"Critical alert for {patient_name}: {name}",
                body=f"A {name.lower()} reading crossed the critical limit.",
                data={
                    "alert_id": str(alert.id),
                    "patient_id": str(patient.id),
                    "biomarker_type": alert.biomarker_type,
                },
            )


def _critical_alert_context(mail: mail_controller.MailContext) -> dict[str, object]:
    """Says only that there is a critical alert: never the biomarker, value or patient."""
    alert_ids = [uuid.UUID(alert_id) for alert_id in mail.job.payload["alert_ids"]]
    still_open = mail.session.scalar(
        select(Alert.id).where(Alert.id.in_(alert_ids), Alert.status == AlertStatus.OPEN).limit(1)
    )
    if still_open is None:
        raise mail_controller.SkipMail("the alert was handled before the mail went out")
    return {"for_provider": bool(mail.job.payload["for_provider"]), "link": mail.link("/alerts")}


CRITICAL_ALERT_MAIL = mail_controller.define(
    "critical_alert",
    category=EmailCategory.ALERTS,
    reason="You receive this email because a reading crossed a critical limit.",
    context=_critical_alert_context,
)


def list_alerts(
    session: Session,
    *,
    actor: User,
    patient_id: uuid.UUID | None = None,
    status: str | None = None,
    severity: str | None = None,
    biomarker_type: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> Paged[Alert]:
    """Alerts the actor may see (own, their patients', or all for an admin), newest first."""
    statement = select(Alert).where(patient_filter(actor, Alert.patient_id))
    if patient_id is not None:
        ensure_patient_access(
            session,
            actor=actor,
            patient_id=patient_id,
            action=AuditAction.PROVIDER_VIEW_HEALTH_DATA,
            resource_type=ResourceType.ALERT,
        )
        statement = statement.where(Alert.patient_id == patient_id)
    for column, wanted in (
        (Alert.status, status),
        (Alert.severity, severity),
        (Alert.biomarker_type, biomarker_type),
    ):
        if wanted is not None:
            statement = statement.where(column == wanted)
    page = keyset_page(
        session,
        statement,
        sort_columns=[Alert.created_at, Alert.id],
        sort_key=lambda alert: (alert.created_at, alert.id),
        limit=limit,
        cursor=cursor,
    )
    _audit_cross_patient_read(session, actor=actor, patient_id=patient_id, alerts=page.items)
    return page


def _audit_cross_patient_read(
    session: Session, *, actor: User, patient_id: uuid.UUID | None, alerts: list[Alert]
) -> None:
    """A list spanning patients (no patient_id) is one audited read of others' data."""
    if patient_id is not None:
        return
    others = sorted({str(alert.patient_id) for alert in alerts if alert.patient_id != actor.id})
    if others:
        audit_logger.record(
            session,
            AuditAction.PROVIDER_VIEW_HEALTH_DATA,
            actor=actor,
            resource_type=ResourceType.ALERT,
            details={"patient_ids": others, "alerts": len(alerts)},
        )


def update_alert(session: Session, *, actor: User, alert_id: uuid.UUID, data: AlertUpdate) -> Alert:
    """Acknowledge, dismiss or resolve a visible alert (resolved and dismissed are final)."""
    alert = session.scalar(
        select(Alert).where(Alert.id == alert_id, patient_filter(actor, Alert.patient_id))
    )
    if alert is None:
        raise access_denied(ResourceType.ALERT, alert_id)
    previous = alert.status
    allowed_from = [status for status, targets in _TRANSITIONS.items() if data.status in targets]
    now = utcnow()
    values = {
        "status": data.status,
        "status_changed_by_id": actor.id,
        "status_changed_at": now,
        "status_note": data.note,
        "resolved_at": now if str(data.status) == AlertStatus.RESOLVED else None,
        "updated_at": now,
    }
    changed = changed_rows(
        session,
        update(Alert)
        .where(Alert.id == alert.id, Alert.status.in_(allowed_from))
        .values(**values)
        .execution_options(synchronize_session=False),
    )
    if changed != 1:
        raise Conflict(f"An alert that is {previous} cannot become {data.status}.")
    session.refresh(alert)
    audit_logger.record(
        session,
        AuditAction.ALERT_UPDATED,
        actor=actor,
        resource_type=ResourceType.ALERT,
        resource_id=alert.id,
        patient_id=alert.patient_id,
        details={"from_status": previous, "to_status": str(data.status), "fields": ["status"]},
    )
    return alert
