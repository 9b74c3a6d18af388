"""Password hashing with Argon2id (memory-hard, OWASP's first choice) and the password policy.

The policy follows NCSC guidance: a minimum length and a refusal of well-known passwords, and no
composition rules (they make passwords harder to remember, not harder to guess).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask

DEFAULT_MINIMUM_LENGTH = 10
MAXIMUM_LENGTH = 1000  # Argon2 accepts anything; a bound keeps hashing time bounded.
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common_passwords.txt"

# Argon2id with the second set of parameters RFC 9106 recommends (section 4), argon2-cffi's default:
# 3 passes over 64 MiB in 4 lanes, well above OWASP's minimum of 19 MiB and 2 passes (Password Storage
# Cheat Sheet). A hash records its parameters, so any hash still verifies if these change later.
PRODUCTION_PARAMETERS: Parameters = profiles.RFC_9106_LOW_MEMORY
# For the test suite only (PASSWORD_HASHING_FOR_TESTS, refused without TESTING): the least work Argon2id
# allows, so that the thousands of accounts the tests make and sign in take no time.
TEST_PARAMETERS = replace(PRODUCTION_PARAMETERS, time_cost=1, memory_cost=8, parallelism=1)
_TIMING_DUMMY = "not a real password, used to even out timing"

_parameters = PRODUCTION_PARAMETERS
_hasher = PasswordHasher.from_parameters(_parameters)
# Hashing a dummy password when an account does not exist makes sign-in take as long for an unknown
# email as for a known one, so timing does not reveal who has an account.
_DUMMY_HASH = _hasher.hash(_TIMING_DUMMY)


def init_app(app: Flask) -> None:
    """Hash with the parameters the configuration asks for: production's unless the test suite's."""
    use_parameters(TEST_PARAMETERS if app.config.get("PASSWORD_HASHING_FOR_TESTS") else PRODUCTION_PARAMETERS)


def use_parameters(parameters: Parameters) -> None:
    """Hash new passwords, and the dummy one, with `parameters` from now on, in the whole process."""
    global _parameters, _hasher, _DUMMY_HASH
    if parameters == _parameters:
        return  # every app the tests create would otherwise hash the dummy password again
    hasher = PasswordHasher.from_parameters(parameters)
    _parameters, _hasher, _DUMMY_HASH = parameters, hasher, hasher.hash(_TIMING_DUMMY)


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
