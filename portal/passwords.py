"""Password hashing with Argon2id (memory-hard, OWASP's first choice) and the password policy.

The policy follows NCSC guidance: a minimum length and a refusal of well-known passwords, and no
composition rules (they make passwords harder to remember, not harder to guess).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

DEFAULT_MINIMUM_LENGTH = 10
MAXIMUM_LENGTH = 1000  # Argon2 accepts anything; a bound keeps hashing time bounded.
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common_passwords.txt"

_hasher = PasswordHasher()
# Hashing a dummy password when an account does not exist makes sign-in take as long for an unknown
# email as for a known one, so timing does not reveal who has an account.
_DUMMY_HASH = _hasher.hash("not a real password, used to even out timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    """The deny-list NCSC advises instead of composition rules, lower-cased."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, minimum_length: int = DEFAULT_MINIMUM_LENGTH) -> str | None:
    """The GOV.UK-style message for a password the policy refuses, or None when it is acceptable."""
    if not password:
        return "Enter a password"
    if len(password) < minimum_length:
        return f"Password must be {minimum_length} characters or more"
    if len(password) > MAXIMUM_LENGTH:
        return f"Password must be {MAXIMUM_LENGTH} characters or fewer"
    if password.strip().lower() in common_passwords():
        return "Password is too common and easy to guess. Choose a different password"
    return None
