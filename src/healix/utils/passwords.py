"""Password hashing (bcrypt) and the password policy."""

from __future__ import annotations

import re
from functools import lru_cache

import bcrypt
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
#: bcrypt ignores everything after 72 bytes, so longer passwords are refused, not truncated
MAX_BYTES = 72
_TRAILING_NOISE = re.compile(r"[\d\W_]+$")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords, as bundled with the zxcvbn package."""
    return frozenset(FREQUENCY_LISTS["passwords"])


def policy_violations(password: str, *, email: str | None = None) -> list[str]:
    """Every rule the password breaks, as messages fit for a 422 response."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters long")
    if len(password.encode()) > MAX_BYTES:
        problems.append(f"must be at most {MAX_BYTES} bytes in UTF-8 (bcrypt's limit)")
    if _is_common(password):
        problems.append("is too common; choose a less predictable password")
    local_part = (email or "").split("@", 1)[0].lower()
    if len(local_part) >= 3 and local_part in password.lower():
        problems.append("must not contain your email address")
    return problems


def _is_common(password: str) -> bool:
    lowered = password.lower()
    common = _common_passwords()
    if lowered in common:
        return True
    stem = _TRAILING_NOISE.sub("", lowered)
    return len(stem) >= 6 and stem in common


def hash_password(password: str, *, rounds: int) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=rounds)).decode()


def verify_password(password: str, password_hash: str | None) -> bool:
    encoded = password.encode()
    if password_hash is None or len(encoded) > MAX_BYTES:
        return False
    return bcrypt.checkpw(encoded, password_hash.encode())


@lru_cache(maxsize=4)
def dummy_hash(rounds: int) -> str:
    """A hash to verify against when the account does not exist, so timing does not tell."""
    return hash_password("healix-dummy-password-for-timing", rounds=rounds)
