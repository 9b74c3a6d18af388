import pytest

from portal import create_app
from portal.config import ConfigurationError, load_config


def test_production_refuses_to_start_without_a_secret_key(database_url):
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        create_app({"PORTAL_ENV": "production", "SECRET_KEY": "", "DATABASE_URL": database_url})


def test_development_makes_and_keeps_its_own_secret_key(database_url):
    first = create_app({"PORTAL_ENV": "development", "SECRET_KEY": "", "DATABASE_URL": database_url})
    second = create_app({"PORTAL_ENV": "development", "SECRET_KEY": "", "DATABASE_URL": database_url})
    assert len(first.config["SECRET_KEY"]) >= 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]


def test_environment_variables_are_read_and_defaulted():
    config = load_config(
        {
            "DATABASE_URL": "postgresql+psycopg://portal@db/portal",
            "SMTP_PORT": "587",
            "SMTP_USE_TLS": "true",
            "PORTAL_BASE_URL": "https://portal.council.example/",
        }
    )
    assert config["DATABASE_URL"] == "postgresql+psycopg://portal@db/portal"
    assert config["SMTP_PORT"] == 587
    assert config["SMTP_USE_TLS"] is True
    assert config["PORTAL_BASE_URL"] == "https://portal.council.example"
    assert config["SESSION_COOKIE_SECURE"] is True  # follows an https base URL unless set
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["DATABASE_URL"] != load_config({})["DATABASE_URL"]
    assert load_config({})["DATABASE_URL"].startswith("sqlite:///")
    assert load_config({})["DATABASE_URL"].endswith("instance/portal.db")


def test_a_malformed_number_is_a_clear_configuration_error():
    with pytest.raises(ConfigurationError, match="SMTP_PORT must be a whole number"):
        load_config({"SMTP_PORT": "twenty-five"})
