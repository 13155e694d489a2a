"""Your own profile (names on `users`, the rest on `profiles`) and the provider directory."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from healix.audit import logger as audit_logger
from healix.audit.events import AuditAction, ResourceType
from healix.exceptions import ValidationFailed
from healix.models.profile import Profile
from healix.models.user import Role, User, UserStatus
from healix.schemas.profile import (
    DEFAULT_NOTIFICATIONS,
    PROFILE_FIELDS,
    PreferencesUpdate,
    ProfileUpdate,
    ProviderQuery,
)
from healix.utils.pagination import Paged, keyset_page
from healix.utils.search import matches_any

USER_FIELDS = ("first_name", "last_name", "specialization", "licence_number")
PROVIDER_ONLY_FIELDS = ("specialization", "licence_number")


@dataclass(frozen=True)
class ProfileView:
    """A user with their profile row (None until they first save one)."""

    user: User
    profile: Profile | None


def get_own(session: Session, *, actor: User) -> ProfileView:
    return ProfileView(actor, session.get(Profile, actor.id))


def get_or_create_profile(session: Session, user: User) -> Profile:
    """The user's profile row, inserted first if there is none. Race-safe: when a concurrent
    request inserts it first, the savepoint absorbs the conflict and that row is used."""
    profile = session.get(Profile, user.id)
    if profile is not None:
        return profile
    try:
        with session.begin_nested():
            session.add(Profile(user_id=user.id, timezone="UTC", preferences={}))
    except IntegrityError:
        pass
    return session.get_one(Profile, user.id)


def update_own(session: Session, *, actor: User, data: ProfileUpdate) -> ProfileView:
    """Apply the sent fields; audit the names of the fields that changed."""
    changes = data.model_dump(exclude_unset=True, exclude={"preferences"})
    refused = [field for field in PROVIDER_ONLY_FIELDS if field in changes]
    if refused and actor.role != Role.PROVIDER:
        raise ValidationFailed(
            [{"loc": field, "msg": "only providers have this field"} for field in refused]
        )
    changed = _apply(actor, {k: v for k, v in changes.items() if k in USER_FIELDS})
    profile = session.get(Profile, actor.id)
    profile_changes = {k: v for k, v in changes.items() if k in PROFILE_FIELDS}
    if profile_changes or data.preferences is not None:
        profile = get_or_create_profile(session, actor)
        changed += _apply(profile, profile_changes)
        if data.preferences is not None and _merge_preferences(profile, data.preferences):
            changed.append("preferences")
    session.flush()
    if changed:
        audit_logger.record(
            session,
            AuditAction.USER_UPDATE_PROFILE,
            actor=actor,
            resource_type=ResourceType.USER,
            resource_id=actor.id,
            patient_id=actor.id if actor.role == Role.PATIENT else None,
            details={"fields": sorted(changed)},
        )
    return ProfileView(actor, profile)


def _apply(target: Any, values: dict[str, Any]) -> list[str]:
    changed = []
    for field, value in values.items():
        if getattr(target, field) != value:
            setattr(target, field, value)
            changed.append(field)
    return changed


def _merge_preferences(profile: Profile, update: PreferencesUpdate) -> bool:
    """Merge sent preferences into the stored ones; True when something changed."""
    stored = dict(profile.preferences or {})
    merged = dict(stored)
    sent = update.model_dump(mode="json", exclude_unset=True)
    if "units" in sent:
        merged["units"] = sent["units"]
    if "notifications" in sent:
        current = stored.get("notifications") or DEFAULT_NOTIFICATIONS
        merged["notifications"] = {**current, **sent["notifications"]}
    if merged == stored:
        return False
    profile.preferences = merged
    return True


def list_providers(session: Session, *, query: ProviderQuery) -> Paged[User]:
    """Active providers, by name; `q` matches a name, `specialization` matches exactly."""
    statement = select(User).where(User.role == Role.PROVIDER, User.status == UserStatus.ACTIVE)
    if query.q:
        statement = statement.where(matches_any(query.q, User.first_name, User.last_name))
    if query.specialization:
        statement = statement.where(func.lower(User.specialization) == query.specialization.lower())
    return keyset_page(
        session,
        statement,
        sort_columns=[User.last_name, User.first_name, User.id],
        sort_key=lambda user: (user.last_name, user.first_name, user.id),
        limit=query.limit,
        cursor=query.cursor,
        descending=False,
    )


def users_by_id(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, User]:
    """The users with these ids, in one query: lists show who is who (names only are
    serialised) without a look-up per row."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {user.id: user for user in session.scalars(select(User).where(User.id.in_(wanted)))}
