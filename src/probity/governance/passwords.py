"""Local passwords for small deployments: argon2id hashes (RFC 9106 defaults from argon2-cffi),
never the password itself. A force with single sign-on uses that instead."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
MIN_LENGTH = 12


class WeakPassword(ValueError):
    pass


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches; False for a wrong password, no hash, or a damaged hash."""
    if not stored_hash:
        # Spend the same effort as a real check, so timing does not tell who has a password.
        _HASHER.hash(password or "-")
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
