"""Role checks for routes: the web part of authorization.

Who may see which record is the domain's decision (controllers/access.py); here only the
caller's role is checked, after authentication and before the request is validated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from healix.middleware.auth_middleware import auth_required
from healix.models.user import Role

F = TypeVar("F", bound=Callable[..., Any])


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Require a signed-in user whose role is one of `roles` (403 otherwise)."""
    return auth_required(roles=frozenset(str(role) for role in roles))
