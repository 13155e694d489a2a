"""Hashes for secrets we must recognise but never store: tokens, API keys, identifiers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def keyed_hash(value: str, key: str) -> str:
    """HMAC-SHA256, for identifiers (an unknown email) that must not be reversible by a
    dictionary attack on the audit log."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def new_token(prefix: str = "", nbytes: int = 32) -> str:
    return prefix + secrets.token_urlsafe(nbytes)


def derived_token(prefix: str, key: str, message: str) -> str:
    """A token only the holder of `key` can compute from `message` (HMAC-SHA256, 256 bits):
    the same job always mails the same token, without the token being stored anywhere."""
    digest = hmac.new(key.encode(), message.encode(), hashlib.sha256).digest()
    return prefix + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def constant_time_equals(left: str, right: str) -> bool:
    return hmac.compare_digest(left.encode(), right.encode())
