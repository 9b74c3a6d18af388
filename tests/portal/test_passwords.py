"""Password hashing: memory-hard Argon2id everywhere but in the test suite, which asks for the least work."""

import pytest
from argon2 import Type, extract_parameters

from portal import create_app, passwords
from portal.config import ConfigurationError, load_config
from portal.passwords import hash_password, needs_rehash, verify_password

PASSWORD = "correct horse battery staple"


@pytest.fixture
def production_app(database_url):
    """An app configured as in production; afterwards hashing goes back to the test suite's parameters."""
    yield create_app({"PORTAL_ENV": "production", "SECRET_KEY": "s" * 64, "DATABASE_URL": database_url})
    passwords.use_parameters(passwords.TEST_PARAMETERS)


def test_production_hashes_with_memory_hard_argon2id_as_rfc_9106_recommends(production_app):
    assert load_config({})["PASSWORD_HASHING_FOR_TESTS"] is False  # not even from the environment
    hashed = hash_password(PASSWORD)
    parameters = extract_parameters(hashed)
    assert parameters.type is Type.ID
    # RFC 9106's second recommendation, argon2-cffi's default: 3 passes over 64 MiB in 4 lanes.
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (3, 64 * 1024, 4)
    assert parameters.memory_cost >= 19 * 1024 and parameters.time_cost >= 2  # OWASP's minimum
    assert verify_password(hashed, PASSWORD) and not verify_password(hashed, "wrong horse battery staple")


def test_the_test_suite_hashes_with_the_least_work_and_production_rehashes_its_hashes(app, database_url):
    hashed = hash_password(PASSWORD)
    parameters = extract_parameters(hashed)
    assert parameters.type is Type.ID and (parameters.time_cost, parameters.memory_cost) == (1, 8)
    assert verify_password(hashed, PASSWORD) and not verify_password(hashed, "wrong horse battery staple")
    assert not needs_rehash(hashed)
    create_app({"PORTAL_ENV": "production", "SECRET_KEY": "s" * 64, "DATABASE_URL": database_url})
    try:
        assert verify_password(hashed, PASSWORD)  # a hash carries its own parameters
        assert needs_rehash(hashed)  # so a sign-in in production would hash it again, properly
    finally:
        passwords.use_parameters(passwords.TEST_PARAMETERS)


@pytest.mark.parametrize("portal_env", ["production", "development", "test"])
def test_cheap_hashing_is_refused_outside_the_test_suite(database_url, portal_env):
    config = {"PORTAL_ENV": portal_env, "SECRET_KEY": "s" * 64, "DATABASE_URL": database_url}  # no TESTING
    with pytest.raises(ConfigurationError, match="PASSWORD_HASHING_FOR_TESTS is for the test suite only"):
        create_app({**config, "PASSWORD_HASHING_FOR_TESTS": True})
