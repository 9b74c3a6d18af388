"""portal.services.site_settings: defaults from app.config, stored values over them, one read per request."""

from __future__ import annotations

from datetime import timedelta

from helpers import count_queries, page_title

from portal.models import SiteSetting
from portal.services import site_settings
from portal.uploads import DEFAULT_EXTENSIONS, UploadProblem, problem_message


def store(db, **values) -> None:
    for key, value in values.items():
        db.merge(SiteSetting(key=key, value=value))
    db.commit()


def test_with_nothing_stored_the_settings_are_what_the_portal_was_started_with(make_app):
    app = make_app(PASSWORD_MIN_LENGTH=12, COUNCIL_NAME="Eastshire Council", PHASE="", SESSION_IDLE_MINUTES=20,
                   TWO_STEP_REQUIRED_FORMS=("a_form",), CONTACT_EMAIL="help@eastshire.example")  # fmt: skip
    with app.app_context():
        settings = site_settings.current()
        account = site_settings.account_settings()
    assert settings.password_min_length == 12 and account.password_min_length == 12
    assert settings.council_name == account.council_name == "Eastshire Council"
    assert settings.phase == ""  # no banner
    assert account.session_idle == timedelta(minutes=20)
    assert settings.two_step_required_forms == ("a_form",)
    assert settings.contact_email == "help@eastshire.example" and settings.has_contact_details
    assert settings.upload_allowed_extensions == DEFAULT_EXTENSIONS
    assert settings.upload_max_bytes == 10 * 1024 * 1024


def test_stored_values_are_laid_over_the_defaults(app, db):
    store(db, password_min_length=14, council_name="Northshire Council", two_step_code_digits=8,
          two_step_lock_minutes=9, upload_allowed_extensions=["pdf"], phase="alpha")  # fmt: skip
    with app.app_context():
        settings = site_settings.current()
        account = site_settings.account_settings()
    assert (settings.password_min_length, settings.council_name, settings.phase) == (14, "Northshire Council", "alpha")
    assert (account.code_digits, account.lock_duration) == (8, timedelta(minutes=9))
    assert account.base_url == app.config["PORTAL_BASE_URL"]  # what is not a site setting stays configured
    assert settings.upload_allowed_extensions == ("pdf",)
    assert settings.as_config()["UPLOAD_ALLOWED_EXTENSIONS"] == ("pdf",)


def test_a_stored_value_that_cannot_be_used_gives_way_to_the_default(make_app, db):
    store(db, password_min_length="twelve", council_name=7, upload_allowed_extensions=["pdf", "exe"],
          upload_max_mb=50, not_a_setting="ignored")  # fmt: skip
    app = make_app(UPLOAD_MAX_MB=10)
    with app.app_context():
        settings = site_settings.current()
    assert settings.password_min_length == 10 and settings.council_name == "Testshire Council"
    assert settings.upload_allowed_extensions == ("pdf",)  # a type the checker does not know is dropped
    assert settings.upload_max_mb == 10  # never above the request cap the server was started with


def test_the_settings_are_read_once_per_request_or_worker_pass(app, db):
    store(db, council_name="Northshire Council")
    with app.app_context(), count_queries(app) as statements:
        for _ in range(3):
            assert site_settings.current().council_name == "Northshire Council"
            site_settings.account_settings()
    assert len(statements) == 1
    store(db, council_name="Westshire Council")
    with app.app_context():  # the next request reads the change: no process keeps a copy
        assert site_settings.current().council_name == "Westshire Council"


def test_the_error_pages_still_render_when_the_database_cannot_answer(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path}/no/such/folder/portal.db", COUNCIL_NAME="Eastshire Council")
    response = app.test_client().get("/no-such-page")
    assert response.status_code == 404
    assert page_title(response.get_data(as_text=True)) == "Page not found – Family services portal – Eastshire Council"


def test_a_form_in_force_but_not_loaded_can_still_be_unticked(app, db):
    page = site_settings.edit_page(db, app.config, "two-step")
    [forms] = [f for f in page.fields if f.setting.key == "two_step_required_forms"]
    assert [(c.value, c.label) for c in forms.choices] == [
        ("send_request_for_assessment", "send_request_for_assessment (not loaded)")
    ]
    assert forms.value == ["send_request_for_assessment"]
    with app.test_request_context():
        changed = site_settings.save_group(
            db, app.config, "two-step",
            {**{f.setting.key: f.value for f in page.fields}, "two_step_required_forms": []},
            loaded=page.fingerprint, actor_id=None, client_address=None,
        )  # fmt: skip
    assert changed == ["two_step_required_forms"]
    assert db.get(SiteSetting, "two_step_required_forms").value == []  # none, which is not the default


def test_every_setting_has_a_config_default_a_group_and_bounds_with_a_reason(app):
    for setting in site_settings.SETTINGS.values():
        assert setting.config_key in app.config, setting.key
        assert setting.group in site_settings.GROUPS_BY_SLUG
        if setting.kind is site_settings.Kind.NUMBER:
            assert setting.minimum is not None and setting.numbers is not None and setting.why, setting.key
    assert site_settings.PASSWORD_FLOOR == 8  # NCSC Cyber Essentials, with a deny list of common passwords
    assert site_settings.DRAFT_DAYS_FLOOR == 8  # one day more than the 7-day reminder


def test_the_wrong_type_message_names_only_the_kinds_allowed():
    wrong = UploadProblem.WRONG_TYPE
    assert problem_message(wrong, 10) == "The selected file must be a PDF, Word document or image"
    assert problem_message(wrong, 10, ("pdf",)) == "The selected file must be a PDF"
    assert problem_message(wrong, 10, ("docx", "pdf")) == "The selected file must be a PDF or Word document"
    assert problem_message(wrong, 10, ("png", "jpg")) == "The selected file must be an image"
