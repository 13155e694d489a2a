"""A patient's devices and their API keys.

A key (`hxd_...`) is generated here, returned once and stored only as its SHA-256 plus a
short prefix for recognition. Rotating it replaces the hash, so the old key stops working
with the same commit. Deleting a device keeps its readings: the foreign key sets their
`device_id` to NULL.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.controllers.access import access_denied
from healix.exceptions import Forbidden, Unauthorized
from healix.models.device import Device, DeviceStatus
from healix.models.user import User
from healix.schemas.device import DeviceCreate, DeviceUpdate
from healix.utils.hashing import new_token, sha256_hex
from healix.utils.pagination import Paged, keyset_page

API_KEY_PREFIX = "hxd_"
#: characters of the key kept in clear to tell keys apart ("hxd_" + 8)
VISIBLE_KEY_CHARS = 12
DEVICE_KEY_HEADER = "X-Device-Key"
DEVICE_KEY_CHALLENGE = f'DeviceKey header="{DEVICE_KEY_HEADER}"'


@dataclass(frozen=True)
class IssuedDeviceKey:
    """A device and its API key in clear: returned once, when the key is issued."""

    device: Device
    api_key: str


def _new_key() -> tuple[str, str, str]:
    """A fresh key, its hash and its visible prefix."""
    key = new_token(API_KEY_PREFIX)
    return key, sha256_hex(key), key[:VISIBLE_KEY_CHARS]


def register_device(session: Session, *, actor: User, data: DeviceCreate) -> IssuedDeviceKey:
    """Register a device for the signed-in patient; returns it with its one-time API key."""
    key, key_hash, prefix = _new_key()
    device = Device(
        owner_id=actor.id,
        device_type=data.device_type,
        name=data.name,
        model=data.model,
        manufacturer=data.manufacturer,
        api_key_hash=key_hash,
        api_key_prefix=prefix,
        status=DeviceStatus.ACTIVE,
    )
    session.add(device)
    session.flush()
    audit_logger.record(
        session,
        AuditAction.DEVICE_REGISTERED,
        actor=actor,
        resource_type=ResourceType.DEVICE,
        resource_id=device.id,
        patient_id=actor.id,
        details={"device_type": str(data.device_type)},
    )
    return IssuedDeviceKey(device, key)


def list_devices(
    session: Session,
    *,
    actor: User,
    status: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> Paged[Device]:
    """The actor's own devices, newest first."""
    statement = select(Device).where(Device.owner_id == actor.id)
    if status is not None:
        statement = statement.where(Device.status == status)
    return keyset_page(
        session,
        statement,
        sort_columns=[Device.created_at, Device.id],
        sort_key=lambda device: (device.created_at, device.id),
        limit=limit,
        cursor=cursor,
    )


def get_own_device(session: Session, *, actor: User, device_id: uuid.UUID) -> Device:
    """The actor's device, or an audited 404 (someone else's device looks absent)."""
    device = session.get(Device, device_id)
    if device is None or device.owner_id != actor.id:
        raise access_denied(ResourceType.DEVICE, device_id, device.owner_id if device else None)
    return device


def update_device(
    session: Session, *, actor: User, device_id: uuid.UUID, data: DeviceUpdate
) -> Device:
    """Rename a device or switch it active/inactive."""
    device = get_own_device(session, actor=actor, device_id=device_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    changed = sorted(field for field, value in changes.items() if getattr(device, field) != value)
    for field in changed:
        setattr(device, field, changes[field])
    session.flush()
    if changed:
        audit_logger.record(
            session,
            AuditAction.DEVICE_UPDATED,
            actor=actor,
            resource_type=ResourceType.DEVICE,
            resource_id=device.id,
            patient_id=actor.id,
            details={"fields": changed},
        )
    return device


def delete_device(session: Session, *, actor: User, device_id: uuid.UUID) -> None:
    """Remove a device; its readings stay, detached (device_id NULL via ON DELETE SET NULL)."""
    device = get_own_device(session, actor=actor, device_id=device_id)
    session.expunge(device)
    session.execute(delete(Device).where(Device.id == device_id))
    audit_logger.record(
        session,
        AuditAction.DEVICE_DELETED,
        actor=actor,
        resource_type=ResourceType.DEVICE,
        resource_id=device_id,
        patient_id=actor.id,
    )


def rotate_key(session: Session, *, actor: User, device_id: uuid.UUID) -> IssuedDeviceKey:
    """Issue a new API key; the old one is refused from this commit on."""
    device = get_own_device(session, actor=actor, device_id=device_id)
    key, device.api_key_hash, device.api_key_prefix = _new_key()
    session.flush()
    audit_logger.record(
        session,
        AuditAction.DEVICE_KEY_ROTATED,
        actor=actor,
        resource_type=ResourceType.DEVICE,
        resource_id=device.id,
        patient_id=actor.id,
    )
    return IssuedDeviceKey(device, key)


def invalid_device_key(detail: str = "The device key is not valid.") -> Unauthorized:
    return Unauthorized(detail, headers={"WWW-Authenticate": DEVICE_KEY_CHALLENGE})


def authenticate_device(session: Session, *, api_key: str) -> tuple[Device, User]:
    """The device holding `api_key` and its owner; 401 for an unknown key or a gone owner,
    403 for a device its owner switched off."""
    device = session.scalar(select(Device).where(Device.api_key_hash == sha256_hex(api_key)))
    if device is None:
        raise invalid_device_key()
    owner = session.get(User, device.owner_id)
    if owner is None or not owner.is_active:
        raise invalid_device_key()
    if device.status == DeviceStatus.INACTIVE:
        raise Forbidden("This device is inactive; its owner can re-activate it.")
    return device, owner
