"""Site settings: what a council's administrators change without a release (issue 8), read in one place.

Each setting's default is the value the portal was started with: its environment variable, read by
portal/config.py into app.config. A row in `site_settings` overrides the default and "Reset to default"
deletes the row, so a portal whose administrators never open the settings pages runs exactly as
configured (and tests that set values through app.config keep doing so).

Reading: `current()` is the one way code reads them. It returns a frozen, typed `SiteSettings` made of
the defaults with the rows laid over them, read with ONE small query per request (or worker pass) and
memoised in flask.g. Web processes keep no state, so a change committed by one gunicorn process is in
force in every other from its next request; the worker reads them the same way on each pass. The read
uses a connection of its own, so it never touches the request's unit of work, and when the database
cannot answer (the 503 page) the defaults are used. `account_settings()` builds the `AccountSettings`
the account services take from it.

Changing: `save_group` checks every value of one group of settings (the edit pages), refuses the whole
group with a GOV.UK message per field when any value is wrong, and otherwise stores only the values that
changed, each audited with its value before and after, in one transaction. A value equal to the default
deletes the row (the setting follows the environment again). Posting the same form twice changes
nothing the second time; a form that was open while another administrator changed the same group is
refused rather than silently undoing their change.

Bounds: every number a council may tune has a floor and a ceiling here, with the reason in `why` (shown
to administrators) and the source in the comment beside it. The defaults themselves stay defined once,
in portal/config.py.
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext, lazy_gettext, ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from ..config import MEGABYTE, AccountSettings
from ..models import FormVersion, SiteSetting
from ..uploads import CONTENT_TYPES
from . import audit
from .applications import REMINDER_BEFORE_EXPIRY

__all__ = [
    "GROUPS",
    "SETTINGS",
    "EditPage",
    "GroupView",
    "SettingProblem",
    "SettingsError",
    "SiteSettings",
    "StaleSettings",
    "UnknownGroup",
    "UnknownSetting",
    "account_settings",
    "build",
    "current",
    "edit_page",
    "overview",
    "reset_setting",
    "save_group",
]

log = logging.getLogger(__name__)

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"[0-9 +()\-]{7,30}")
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")
DIGITS = re.compile(r"[0-9]+")
PHASES = ("alpha", "beta", "none")  # "none" is stored as "" (no banner), as PHASE="" means


class Kind(enum.Enum):
    TEXT = "text"
    EMAIL = "email"
    PHONE = "phone"
    NUMBER = "number"
    ONE_OF = "one_of"  # radios
    ANY_OF = "any_of"  # checkboxes


class Unit(enum.Enum):
    CHARACTERS = "characters"
    DIGITS = "digits"
    CODES = "codes"
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    MEGABYTES = "megabytes"

    def show(self, number: int) -> str:
        """'10 characters', '1 minute', '10MB': a number with its unit, as the pages show it."""
        if self is Unit.MEGABYTES:
            return gettext("%(num)sMB", num=number)
        forms = {
            Unit.CHARACTERS: ngettext("%(num)s character", "%(num)s characters", number),
            Unit.DIGITS: ngettext("%(num)s digit", "%(num)s digits", number),
            Unit.CODES: ngettext("%(num)s wrong code", "%(num)s wrong codes", number),
            Unit.MINUTES: ngettext("%(num)s minute", "%(num)s minutes", number),
            Unit.HOURS: ngettext("%(num)s hour", "%(num)s hours", number),
            Unit.DAYS: ngettext("%(num)s day", "%(num)s days", number),
        }
        return forms[self]

    @property
    def suffix(self) -> str:
        """The word after the box on the edit page (GOV.UK input suffix)."""
        return {
            Unit.CHARACTERS: gettext("characters"),
            Unit.DIGITS: gettext("digits"),
            Unit.CODES: gettext("wrong codes"),
            Unit.MINUTES: gettext("minutes"),
            Unit.HOURS: gettext("hours"),
            Unit.DAYS: gettext("days"),
            Unit.MEGABYTES: gettext("MB"),
        }[self]


@dataclass(frozen=True)
class NumberMessages:
    """The GOV.UK error messages of one number, with %(minimum)s and %(maximum)s filled in when shown."""

    missing: Any
    not_whole: Any
    too_small: Any
    too_large: Any


@dataclass(frozen=True)
class Setting:
    """One setting: where its default comes from, what the page calls it, and what values it accepts."""

    key: str  # the row's key and the form field's name
    config_key: str  # the app.config key (and environment variable) holding the default
    group: str  # the slug of its group (its edit page)
    label: Any  # lazy strings: translated when shown
    hint: Any
    kind: Kind
    required: bool = True
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None  # None for the upload size: the server's cap (UPLOAD_MAX_MB)
    unit: Unit | None = None
    numbers: NumberMessages | None = None
    missing: Any = None  # the message for an empty required text or an empty choice
    too_long: Any = None
    wrong_format: Any = None
    why: Any = None  # the reason for the bounds, shown under the field


def _number(key, config_key, group, label, hint, minimum, maximum, unit, messages, why) -> Setting:
    return Setting(
        key, config_key, group, label, hint, Kind.NUMBER,
        minimum=minimum, maximum=maximum, unit=unit, numbers=messages, why=why,
    )  # fmt: skip


_l = lazy_gettext

# Floors and ceilings, with their sources (the `why` of each setting says the same to administrators).
# NCSC Cyber Essentials ("Requirements for IT infrastructure", user access control): passwords of at
# least 8 characters when common passwords are refused with a deny list, as portal.passwords does; and
# accounts locked after no more than 10 unsuccessful attempts.
PASSWORD_FLOOR = 8
# NIST SP 800-63B 5.1.1.2 lets people choose passwords of at least 64 characters: asking for more than
# that as a minimum would refuse the very passphrases NCSC recommends (three random words).
PASSWORD_CEILING = 64
# NIST SP 800-63B 5.1.3 (out-of-band authenticators): a code of at least 6 digits, used within 10 minutes.
CODE_DIGITS_FLOOR, CODE_DIGITS_CEILING = 6, 10  # above 10 digits people mistype them from the email
CODE_MINUTES_FLOOR, CODE_MINUTES_CEILING = 2, 10  # below 2 minutes a slow email arrives dead
ATTEMPTS_FLOOR, ATTEMPTS_CEILING = 3, 10  # Cyber Essentials: lock after no more than 10; 3 allows a slip
LOCK_MINUTES_FLOOR, LOCK_MINUTES_CEILING = 1, 24 * 60  # a lock longer than a day keeps the owner out
# Drafts: the reminder email goes REMINDER_BEFORE_EXPIRY (7 days) before a draft is deleted, so a draft
# must be kept longer than that or the reminder would go the moment it is saved. UK GDPR storage
# limitation: a year is the longest an unsent application can reasonably be kept.
DRAFT_DAYS_FLOOR, DRAFT_DAYS_CEILING = REMINDER_BEFORE_EXPIRY.days + 1, 365
# OWASP Session Management Cheat Sheet: idle timeouts of 15 to 30 minutes for low-risk applications and
# absolute timeouts of 4 to 8 hours are common. Below 10 minutes a parent finding a document for one
# page is signed out in the middle of it; a session that can last more than a day is not ended daily.
IDLE_MINUTES_FLOOR, IDLE_MINUTES_CEILING = 10, 4 * 60
ABSOLUTE_HOURS_FLOOR, ABSOLUTE_HOURS_CEILING = 1, 24
UPLOAD_MB_FLOOR = 1  # the ceiling is the request cap the server was started with (UPLOAD_MAX_MB)
NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 320
HOURS_MAX_LENGTH = 200

# What the upload checker (portal.uploads.check_upload) understands, in the order the page lists them.
UPLOAD_TYPE_LABELS = {
    "pdf": _l("PDF (.pdf)"),
    "doc": _l("Word document (.doc)"),
    "docx": _l("Word document (.docx)"),
    "jpg": _l("JPEG image (.jpg)"),
    "jpeg": _l("JPEG image (.jpeg)"),
    "png": _l("PNG image (.png)"),
    "bmp": _l("Bitmap image (.bmp)"),
}
assert set(UPLOAD_TYPE_LABELS) == set(CONTENT_TYPES), "every type the checker knows has a label"

PHASE_LABELS = {"alpha": _l("Alpha"), "beta": _l("Beta"), "none": _l("No phase banner")}


SETTINGS_LIST: tuple[Setting, ...] = (
    # -- the service ---------------------------------------------------------------------------------
    Setting(
        "council_name", "COUNCIL_NAME", "service", _l("Council name"),
        _l("Shown in the header of every page, in page titles, in the footer and in emails."),
        Kind.TEXT, max_length=NAME_MAX_LENGTH,
        missing=_l("Enter the council’s name"),
        too_long=_l("Council name must be %(maximum)s characters or fewer"),
    ),
    Setting(
        "service_name", "SERVICE_NAME", "service", _l("Service name"),
        _l("Shown beside the council’s name and in every page title, for example Family services portal."),
        Kind.TEXT, max_length=NAME_MAX_LENGTH,
        missing=_l("Enter the service name"),
        too_long=_l("Service name must be %(maximum)s characters or fewer"),
    ),
    Setting(
        "phase", "PHASE", "service", _l("Phase banner"),
        _l("Tells people the service is new. Choose no banner once the service is live."),
        Kind.ONE_OF, missing=_l("Select a phase banner"), wrong_format=_l("Select a phase banner"),
    ),
    # -- contact details (footer and error pages) -----------------------------------------------------
    Setting(
        "contact_email", "CONTACT_EMAIL", "contact", _l("Email address"),
        _l("Where parents write to the council about this service."),
        Kind.EMAIL, required=False, max_length=EMAIL_MAX_LENGTH,
        too_long=_l("Email address must be %(maximum)s characters or fewer"),
        wrong_format=_l("Enter an email address in the correct format, like name@example.com"),
    ),
    Setting(
        "contact_phone", "CONTACT_PHONE", "contact", _l("Telephone number"),
        _l("For example, 0300 123 4567."),
        Kind.PHONE, required=False,
        wrong_format=_l("Enter a telephone number, like 01632 960 001 or 0300 123 4567"),
    ),
    Setting(
        "contact_hours", "CONTACT_HOURS", "contact", _l("Telephone opening hours"),
        _l("For example, Monday to Friday, 9am to 5pm (except bank holidays)."),
        Kind.TEXT, required=False, max_length=HOURS_MAX_LENGTH,
        too_long=_l("Opening hours must be %(maximum)s characters or fewer"),
    ),
    # -- passwords ------------------------------------------------------------------------------------
    _number(
        "password_min_length", "PASSWORD_MIN_LENGTH", "passwords", _l("Minimum password length"),
        _l("Common passwords are refused whatever their length. There are no other rules, as NCSC advises."),
        PASSWORD_FLOOR, PASSWORD_CEILING, Unit.CHARACTERS,
        NumberMessages(
            _l("Enter the minimum password length"),
            _l("Minimum password length must be a whole number, like 10"),
            _l("Minimum password length must be %(minimum)s characters or more"),
            _l("Minimum password length must be %(maximum)s characters or fewer"),
        ),
        _l("At least 8, the NCSC Cyber Essentials minimum when common passwords are refused. At most 64, so "
           "long passphrases are never refused."),
    ),
    # -- two-step verification ------------------------------------------------------------------------
    _number(
        "two_step_code_digits", "TWO_STEP_CODE_DIGITS", "two-step", _l("Length of emailed codes"),
        _l("Authenticator apps always show 6 digits; this is the length of the codes we email."),
        CODE_DIGITS_FLOOR, CODE_DIGITS_CEILING, Unit.DIGITS,
        NumberMessages(
            _l("Enter the length of emailed codes"),
            _l("Length of emailed codes must be a whole number, like 6"),
            _l("Emailed codes must be %(minimum)s digits or longer"),
            _l("Emailed codes must be %(maximum)s digits or shorter"),
        ),
        _l("At least 6 digits (NIST SP 800-63B); at most 10, which people can still copy from an email."),
    ),
    _number(
        "two_step_code_minutes", "TWO_STEP_CODE_MINUTES", "two-step", _l("How long an emailed code works"),
        _l("After this a new code must be sent."),
        CODE_MINUTES_FLOOR, CODE_MINUTES_CEILING, Unit.MINUTES,
        NumberMessages(
            _l("Enter how long an emailed code works"),
            _l("How long an emailed code works must be a whole number of minutes, like 5"),
            _l("An emailed code must work for %(minimum)s minutes or more"),
            _l("An emailed code must work for %(maximum)s minutes or less"),
        ),
        _l("At least 2 minutes, so a slow email still arrives in time; at most 10 (NIST SP 800-63B)."),
    ),
    _number(
        "two_step_max_attempts", "TWO_STEP_MAX_ATTEMPTS", "two-step", _l("Wrong codes before an account is locked"),
        _l("Every wrong code counts, whichever way the person verifies."),
        ATTEMPTS_FLOOR, ATTEMPTS_CEILING, Unit.CODES,
        NumberMessages(
            _l("Enter how many wrong codes lock an account"),
            _l("Wrong codes before an account is locked must be a whole number, like 4"),
            _l("Wrong codes before an account is locked must be %(minimum)s or more"),
            _l("Wrong codes before an account is locked must be %(maximum)s or fewer"),
        ),
        _l("At least 3, so one slip does not lock anyone out; at most 10, the NCSC Cyber Essentials limit."),
    ),
    _number(
        "two_step_lock_minutes", "TWO_STEP_LOCK_MINUTES", "two-step", _l("How long an account stays locked"),
        _l("The person can sign in again after this."),
        LOCK_MINUTES_FLOOR, LOCK_MINUTES_CEILING, Unit.MINUTES,
        NumberMessages(
            _l("Enter how long an account stays locked"),
            _l("How long an account stays locked must be a whole number of minutes, like 4"),
            _l("An account must stay locked for %(minimum)s minute or more"),
            _l("An account must stay locked for %(maximum)s minutes or less"),
        ),
        _l("From 1 minute to 1 day (1440 minutes): a longer lock keeps the account’s owner out too long."),
    ),
    Setting(
        "two_step_required_forms", "TWO_STEP_REQUIRED_FORMS", "two-step",
        _l("Forms that need two-step verification"),
        _l("A parent must turn on two-step verification before starting these. The staff area always needs it."),
        Kind.ANY_OF, required=False, wrong_format=_l("Select forms from the list"),
    ),
    # -- uploads --------------------------------------------------------------------------------------
    Setting(
        "upload_allowed_extensions", "UPLOAD_ALLOWED_EXTENSIONS", "uploads", _l("File types parents may upload"),
        _l("The content of each file is checked as well as its name."),
        Kind.ANY_OF, missing=_l("Select at least one file type"), wrong_format=_l("Select file types from the list"),
    ),
    _number(
        "upload_max_mb", "UPLOAD_MAX_MB", "uploads", _l("Largest file"),
        _l("Files bigger than this are refused with a message saying so."),
        UPLOAD_MB_FLOOR, None, Unit.MEGABYTES,
        NumberMessages(
            _l("Enter the largest file size"),
            _l("Largest file size must be a whole number of megabytes, like 10"),
            _l("Largest file size must be %(minimum)sMB or more"),
            _l("Largest file size must be %(maximum)sMB or less. The portal was started with "
               "UPLOAD_MAX_MB=%(maximum)s, which caps every request: to allow larger files, restart it with a "
               "higher UPLOAD_MAX_MB"),
        ),
        _l("At most the limit the portal was started with (UPLOAD_MAX_MB), which caps every request."),
    ),
    # -- drafts ---------------------------------------------------------------------------------------
    _number(
        "draft_expiry_days", "DRAFT_EXPIRY_DAYS", "drafts", _l("How long an unsent application is kept"),
        _l("Counted from the last time it was saved. A reminder is emailed 7 days before it is deleted. A change "
           "applies to applications saved from then on: nobody loses the date they were given."),
        DRAFT_DAYS_FLOOR, DRAFT_DAYS_CEILING, Unit.DAYS,
        NumberMessages(
            _l("Enter how many days an unsent application is kept"),
            _l("How long an unsent application is kept must be a whole number of days, like 28"),
            _l("An unsent application must be kept for %(minimum)s days or more"),
            _l("An unsent application must be kept for %(maximum)s days or less"),
        ),
        _l("At least 8 days, so the reminder 7 days before still comes after the last save; at most a year "
           "(UK GDPR: keep personal data no longer than needed)."),
    ),
    # -- sessions -------------------------------------------------------------------------------------
    _number(
        "session_idle_minutes", "SESSION_IDLE_MINUTES", "sessions", _l("Sign out after this long without activity"),
        _l("Answers are saved page by page, so only the page being filled in is lost."),
        IDLE_MINUTES_FLOOR, IDLE_MINUTES_CEILING, Unit.MINUTES,
        NumberMessages(
            _l("Enter how many minutes without activity end a session"),
            _l("Time without activity must be a whole number of minutes, like 30"),
            _l("Time without activity must be %(minimum)s minutes or more"),
            _l("Time without activity must be %(maximum)s minutes or less"),
        ),
        _l("From 10 minutes to 4 hours. OWASP suggests 15 to 30 minutes for a service like this one."),
    ),
    _number(
        "session_absolute_hours", "SESSION_ABSOLUTE_HOURS", "sessions", _l("Longest session"),
        _l("People are signed out this long after signing in, whatever they are doing."),
        ABSOLUTE_HOURS_FLOOR, ABSOLUTE_HOURS_CEILING, Unit.HOURS,
        NumberMessages(
            _l("Enter the longest session in hours"),
            _l("Longest session must be a whole number of hours, like 12"),
            _l("Longest session must be %(minimum)s hour or more"),
            _l("Longest session must be %(maximum)s hours or less"),
        ),
        _l("From 1 hour to 1 day, so every session ends at least once a day (OWASP)."),
    ),
)  # fmt: skip
SETTINGS: dict[str, Setting] = {s.key: s for s in SETTINGS_LIST}


@dataclass(frozen=True)
class Group:
    slug: str
    title: Any
    description: Any

    @property
    def settings(self) -> list[Setting]:
        return [s for s in SETTINGS_LIST if s.group == self.slug]


GROUPS: tuple[Group, ...] = (
    Group("service", _l("Service"), _l("The names in the header and page titles, and the phase banner.")),
    Group("contact", _l("Contact details"), _l("How parents reach the council, shown in the footer and error pages.")),
    Group("passwords", _l("Passwords"), _l("The password policy for every account.")),
    Group("two-step", _l("Two-step verification"), _l("Emailed codes, locking, and the forms that need it.")),
    Group("uploads", _l("Uploads"), _l("The files parents may send with a form.")),
    Group("drafts", _l("Unsent applications"), _l("How long an application that was started but not sent is kept.")),
    Group("sessions", _l("Sessions"), _l("When people are signed out.")),
)  # fmt: skip
GROUPS_BY_SLUG = {g.slug: g for g in GROUPS}
assert {s.group for s in SETTINGS_LIST} == set(GROUPS_BY_SLUG), "every setting belongs to a listed group"


# -- the settings in force ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteSettings:
    """The settings in force: defaults from the environment with administrators' values laid over them."""

    council_name: str
    service_name: str
    phase: str  # "alpha", "beta", or "" for no banner
    contact_email: str
    contact_phone: str
    contact_hours: str
    password_min_length: int
    two_step_code_digits: int
    two_step_code_minutes: int
    two_step_max_attempts: int
    two_step_lock_minutes: int
    two_step_required_forms: tuple[str, ...]
    upload_allowed_extensions: tuple[str, ...]
    upload_max_mb: int
    draft_expiry_days: int
    session_idle_minutes: int
    session_absolute_hours: int

    @property
    def upload_max_bytes(self) -> int:
        return self.upload_max_mb * MEGABYTE

    @property
    def has_contact_details(self) -> bool:
        return bool(self.contact_email or self.contact_phone)

    def as_config(self) -> dict[str, Any]:
        """The app.config keys these settings override, with the values in force."""
        values = {SETTINGS[key].config_key: getattr(self, key) for key in SETTINGS}
        values["UPLOAD_MAX_BYTES"] = self.upload_max_bytes
        return values

    def account_settings(self, config: Mapping[str, Any]) -> AccountSettings:
        """AccountSettings (portal/config.py) with these values in place of the environment's."""
        return AccountSettings.from_config({**config, **self.as_config()})


def _default(setting: Setting, config: Mapping[str, Any]) -> Any:
    """The value the portal was started with, in the setting's stored form."""
    raw = config.get(setting.config_key)
    if setting.kind is Kind.NUMBER:
        return int(raw)  # type: ignore[arg-type]
    if setting.kind is Kind.ANY_OF:
        return [str(item) for item in (raw or ())]
    if setting.key == "phase":
        return _phase(str(raw or ""))
    return str(raw or "")


def _phase(value: str) -> str:
    value = value.strip().lower()
    return "" if value == "none" else value


def _upload_cap(config: Mapping[str, Any]) -> int:
    return int(config["UPLOAD_MAX_MB"])


def _usable(setting: Setting, stored: Any, config: Mapping[str, Any]) -> bool:
    """Whether a stored value can be used as it is (a row written by an older release might not)."""
    if setting.kind is Kind.NUMBER:
        return isinstance(stored, int) and not isinstance(stored, bool)
    if setting.kind is Kind.ANY_OF:
        return isinstance(stored, list) and all(isinstance(item, str) for item in stored)
    return isinstance(stored, str)


def _in_force(setting: Setting, stored: Any, config: Mapping[str, Any]) -> Any:
    """The value that applies, given a stored value (or None): the default when nothing usable is stored."""
    value = stored if stored is not None and _usable(setting, stored, config) else _default(setting, config)
    if setting.key == "upload_max_mb":
        return min(value, _upload_cap(config))  # the request cap wins if the server was restarted lower
    if setting.key == "upload_allowed_extensions":
        return [extension for extension in value if extension in CONTENT_TYPES]
    return value


def build(config: Mapping[str, Any], stored: Mapping[str, Any]) -> SiteSettings:
    """The settings in force, from app.config and the stored rows (key -> value)."""
    values = {key: _in_force(setting, stored.get(key), config) for key, setting in SETTINGS.items()}
    for key, setting in SETTINGS.items():
        if setting.kind is Kind.ANY_OF:
            values[key] = tuple(values[key])
    return SiteSettings(**values)


def _stored_values(db_or_connection: Any) -> dict[str, Any]:
    rows = db_or_connection.execute(select(SiteSetting.key, SiteSetting.value)).all()
    return {key: value for key, value in rows if key in SETTINGS}


def load(db: Session, config: Mapping[str, Any]) -> SiteSettings:
    """The settings in force, read through the caller's session (services and tests)."""
    return build(config, _stored_values(db))


_G_KEY = "portal_site_settings"


def current() -> SiteSettings:
    """The settings in force for this request or worker pass: one query, then memoised in flask.g.

    Needs an application context. If the database cannot answer (the page saying the service is
    unavailable must still render), the defaults apply and a warning is logged.
    """
    from flask import current_app, g

    cached = g.get(_G_KEY)
    if cached is None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        try:
            with app.extensions["db_engine"].connect() as connection:
                stored = _stored_values(connection)
        except SQLAlchemyError:
            log.warning("site settings could not be read: using the defaults", extra={"event": "site_settings"})
            stored = {}
        cached = build(app.config, stored)
        setattr(g, _G_KEY, cached)
    return cached


def account_settings() -> AccountSettings:
    """The AccountSettings in force (sessions, passwords, 2SV), for views and the worker."""
    from flask import current_app

    return current().account_settings(current_app.config)


# -- checking what an administrator typed ---------------------------------------------------------------


@dataclass(frozen=True)
class SettingProblem:
    field: str  # the setting's key, which is its form field's name
    code: str  # missing, not_whole, too_small, too_large, too_long, wrong_format, unknown_choice
    message: str


class SettingsError(ValueError):
    def __init__(self, problems: list[SettingProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class StaleSettings(RuntimeError):
    """The group changed after the form was opened: saving it would undo another administrator's change."""


class UnknownGroup(KeyError):
    pass


class UnknownSetting(KeyError):
    pass


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class _Context:
    """What checking needs beyond the typed text: the server's cap and the loaded forms."""

    upload_cap: int
    forms: dict[str, str]  # code -> title of every loaded form

    def maximum(self, setting: Setting) -> int:
        return setting.maximum if setting.maximum is not None else self.upload_cap


def _context(db: Session, config: Mapping[str, Any]) -> _Context:
    forms: dict[str, str] = {}
    for code, title in db.execute(
        select(FormVersion.code, FormVersion.title).order_by(FormVersion.code, FormVersion.version.desc())
    ):
        forms.setdefault(code, title)  # the latest version's title
    return _Context(_upload_cap(config), forms)


def choices(setting: Setting, context: _Context, keep: Sequence[str] = ()) -> list[Choice]:
    """The options of a radios or checkboxes setting. `keep`: values in force that must stay choosable."""
    if setting.key == "phase":
        return [Choice(value, str(PHASE_LABELS[value])) for value in PHASES]
    if setting.key == "upload_allowed_extensions":
        return [Choice(value, str(label)) for value, label in UPLOAD_TYPE_LABELS.items()]
    if setting.key == "two_step_required_forms":
        found = [Choice(code, f"{title} ({code})") for code, title in context.forms.items()]
        missing = [
            Choice(code, gettext("%(code)s (not loaded)", code=code)) for code in keep if code not in context.forms
        ]
        return found + missing
    return []


def _message(template: Any, **values: object) -> str:
    text = str(template)
    return text % values if values else text


def _check(setting: Setting, raw: Any, context: _Context, keep: Sequence[str]) -> tuple[Any, SettingProblem | None]:
    """The value to store, or the problem with what was typed. Never raises on odd input."""

    def problem(code: str, template: Any, **values: object) -> tuple[Any, SettingProblem]:
        return None, SettingProblem(setting.key, code, _message(template, **values))

    if setting.kind is Kind.ANY_OF:
        items = [str(item) for item in (raw if isinstance(raw, list | tuple) else [raw] if raw else [])]
        allowed = {choice.value for choice in choices(setting, context, keep)}
        if any(item not in allowed for item in items):
            return problem("unknown_choice", setting.wrong_format)
        if setting.required and not items:
            return problem("missing", setting.missing)
        return sorted(set(items), key=[c.value for c in choices(setting, context, keep)].index), None

    text = raw if isinstance(raw, str) else ""
    if setting.kind is Kind.ONE_OF:
        value = text.strip().lower()
        if not value:
            return problem("missing", setting.missing)
        if value not in PHASES:
            return problem("unknown_choice", setting.wrong_format)
        return _phase(value), None

    if setting.kind is Kind.NUMBER:
        assert setting.numbers is not None and setting.minimum is not None
        typed = text.strip()
        maximum = context.maximum(setting)
        if not typed:
            return problem("missing", setting.numbers.missing)
        if not WHOLE_NUMBER.fullmatch(typed):
            if DIGITS.fullmatch(typed):  # a whole number, but far too long to be sensible
                return problem("too_large", setting.numbers.too_large, maximum=maximum)
            return problem("not_whole", setting.numbers.not_whole)
        number = int(typed)
        if number < setting.minimum:
            return problem("too_small", setting.numbers.too_small, minimum=setting.minimum)
        if number > maximum:
            return problem("too_large", setting.numbers.too_large, maximum=maximum)
        return number, None

    value = " ".join(text.split())  # no line breaks or runs of spaces in a name shown in the header
    if not value:
        return problem("missing", setting.missing) if setting.required else ("", None)
    if setting.max_length is not None and len(value) > setting.max_length:
        return problem("too_long", setting.too_long, maximum=setting.max_length)
    if setting.kind is Kind.EMAIL and not EMAIL.fullmatch(value):
        return problem("wrong_format", setting.wrong_format)
    if setting.kind is Kind.PHONE and not PHONE.fullmatch(value):
        return problem("wrong_format", setting.wrong_format)
    return value, None


def _check_together(values: Mapping[str, Any]) -> list[SettingProblem]:
    """Rules between settings of one group."""
    idle, absolute = values.get("session_idle_minutes"), values.get("session_absolute_hours")
    if isinstance(idle, int) and isinstance(absolute, int) and idle >= absolute * 60:
        return [
            SettingProblem(
                "session_idle_minutes",
                "longer_than_session",
                gettext("Time without activity must be shorter than the longest session"),
            )
        ]
    return []


# -- pages: the overview and the edit pages -------------------------------------------------------------


def show(setting: Setting, value: Any, context: _Context) -> str:
    """A value as the summary page shows it."""
    if setting.kind is Kind.NUMBER:
        assert setting.unit is not None
        return setting.unit.show(int(value))
    if setting.key == "phase":
        label = PHASE_LABELS.get(value or "none")
        return str(label) if label is not None else value
    if setting.key == "upload_allowed_extensions":
        return ", ".join(f".{extension}" for extension in value) if value else gettext("None")
    if setting.key == "two_step_required_forms":
        return ", ".join(context.forms.get(code, code) for code in value) if value else gettext("None")
    return value or gettext("Not set")


def form_value(setting: Setting, value: Any) -> Any:
    """A value as its form field holds it (numbers as text, no banner as 'none')."""
    if setting.kind is Kind.NUMBER:
        return str(value)
    if setting.key == "phase":
        return value or "none"
    return value


@dataclass(frozen=True)
class SettingView:
    setting: Setting
    value: Any  # in force, in stored form
    default: Any
    changed: bool  # an administrator's value is stored
    shown: str
    default_shown: str
    note: str | None = None  # why the value in force differs from the stored one

    @property
    def key(self) -> str:
        return self.setting.key


@dataclass(frozen=True)
class GroupView:
    group: Group
    settings: list[SettingView]


def _rows(db: Session) -> dict[str, SiteSetting]:
    return {row.key: row for row in db.scalars(select(SiteSetting)) if row.key in SETTINGS}


def _view(
    setting: Setting, rows: Mapping[str, SiteSetting], config: Mapping[str, Any], context: _Context
) -> SettingView:
    row = rows.get(setting.key)
    stored = row.value if row is not None else None
    value = _in_force(setting, stored, config)
    default = _in_force(setting, None, config)
    note = None
    if setting.key == "upload_max_mb" and isinstance(stored, int) and stored > value:
        note = gettext(
            "Set to %(stored)sMB, but the portal was restarted with UPLOAD_MAX_MB=%(cap)s, so %(cap)sMB applies.",
            stored=stored, cap=context.upload_cap,
        )  # fmt: skip
    return SettingView(
        setting, value, default, row is not None, show(setting, value, context), show(setting, default, context), note
    )


def overview(db: Session, config: Mapping[str, Any]) -> list[GroupView]:
    """Every group with each setting's value in force, its default and whether it was changed (two queries)."""
    rows = _rows(db)
    context = _context(db, config)
    return [GroupView(group, [_view(s, rows, config, context) for s in group.settings]) for group in GROUPS]


def fingerprint(values: Mapping[str, Any]) -> str:
    """A short digest of a group's values in force, to notice a change made while a form was open."""
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class FieldView:
    view: SettingView
    value: Any  # for the form field
    choices: list[Choice] = field(default_factory=list)
    maximum: int | None = None

    @property
    def setting(self) -> Setting:
        return self.view.setting


@dataclass(frozen=True)
class EditPage:
    group: Group
    fields: list[FieldView]
    fingerprint: str


def _group(slug: str) -> Group:
    group = GROUPS_BY_SLUG.get(slug)
    if group is None:
        raise UnknownGroup(slug)
    return group


def _keep(view: SettingView) -> list[str]:
    """Values in force or by default that must stay choosable even if their form is not loaded."""
    if view.setting.kind is not Kind.ANY_OF:
        return []
    return list(dict.fromkeys([*view.value, *view.default]))


def edit_page(db: Session, config: Mapping[str, Any], slug: str) -> EditPage:
    """What one group's edit page shows: each setting's value in force, its default and its choices."""
    group = _group(slug)
    rows = _rows(db)
    context = _context(db, config)
    fields = []
    for setting in group.settings:
        view = _view(setting, rows, config, context)
        fields.append(
            FieldView(
                view,
                form_value(setting, view.value),
                choices(setting, context, _keep(view)),
                context.maximum(setting) if setting.kind is Kind.NUMBER else None,
            )
        )
    return EditPage(group, fields, fingerprint({f.setting.key: f.view.value for f in fields}))


def _snapshot(value: Any, changed: bool) -> dict[str, Any]:
    return {"value": value, "source": "administrator" if changed else "default"}


def save_group(
    db: Session,
    config: Mapping[str, Any],
    slug: str,
    submitted: Mapping[str, Any],
    *,
    loaded: str | None,
    actor_id: int,
    client_address: str | None,
) -> list[str]:
    """Check and store one group's settings; returns the keys that changed (none for a repeated post).

    Raises SettingsError (every problem, nothing stored) or StaleSettings (the group changed since the
    form was opened with `loaded` as its fingerprint, and this post would change it again).
    """
    group = _group(slug)
    for attempt in range(2):
        rows = _rows(db)
        context = _context(db, config)
        views = {s.key: _view(s, rows, config, context) for s in group.settings}
        checked: dict[str, Any] = {}
        problems: list[SettingProblem] = []
        for setting in group.settings:
            value, problem = _check(setting, submitted.get(setting.key), context, _keep(views[setting.key]))
            if problem is not None:
                problems.append(problem)
            else:
                checked[setting.key] = value
        if not problems:
            problems = _check_together(checked)
        if problems:
            raise SettingsError(problems)
        changed = {key: value for key, value in checked.items() if value != views[key].value}
        if not changed:
            return []  # the same values again (a double post): nothing to do
        if loaded is not None and loaded != fingerprint({key: view.value for key, view in views.items()}):
            raise StaleSettings(slug)
        for key, value in changed.items():
            view = views[key]
            row = rows.get(key)
            to_default = value == view.default
            if to_default and row is not None:
                db.delete(row)
            elif not to_default:
                if row is None:
                    row = SiteSetting(key=key)
                    db.add(row)
                row.value = value
                row.updated_by_id = actor_id
            audit.record(
                db,
                "site_setting.changed",
                actor_id=actor_id,
                client_address=client_address,
                object_type="site_setting",
                object_id=key,
                before=_snapshot(view.value, view.changed),
                after=_snapshot(value, not to_default),
            )
        try:
            db.commit()
            return list(changed)
        except IntegrityError:  # another administrator stored one of these keys first: check again
            db.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def reset_setting(
    db: Session, config: Mapping[str, Any], key: str, *, actor_id: int, client_address: str | None
) -> bool:
    """Go back to the default from the environment (delete the row), audited. False when already there."""
    setting = SETTINGS.get(key)
    if setting is None:
        raise UnknownSetting(key)
    row = db.get(SiteSetting, key)
    if row is None:
        return False
    before = _in_force(setting, row.value, config)
    db.delete(row)
    audit.record(
        db,
        "site_setting.reset",
        actor_id=actor_id,
        client_address=client_address,
        object_type="site_setting",
        object_id=key,
        before=_snapshot(before, True),
        after=_snapshot(_in_force(setting, None, config), False),
    )
    db.commit()
    return True


def setting_view(db: Session, config: Mapping[str, Any], key: str) -> SettingView:
    """One setting's value in force and default (the reset confirmation page)."""
    setting = SETTINGS.get(key)
    if setting is None:
        raise UnknownSetting(key)
    row = db.get(SiteSetting, key)
    return _view(setting, {key: row} if row is not None else {}, config, _context(db, config))
