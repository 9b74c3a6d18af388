"""WTForms fields that the parents' pages (citizen_portal) and the staff area (admin) both ask for: a new
password with its confirmation, and the code an authenticator app shows. Each is defined once, with its
GOV.UK wording, so the password policy and the messages are the same wherever a password or a code is set.
"""

from __future__ import annotations

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from .passwords import password_problem
from .services import site_settings


class NewPassword:
    """The password policy (portal.passwords), with the minimum length in force (site settings)."""

    def __call__(self, form, field) -> None:
        problem = password_problem(field.data or "", site_settings.current().password_min_length)
        if problem:
            raise ValidationError(problem)


def _password_hint() -> str:
    return gettext(
        "Use at least %(count)s characters. A few unrelated words together are strong and easy to remember.",
        count=site_settings.current().password_min_length,
    )


# Read when the page is drawn, so the hint always states the minimum in force.
PASSWORD_HINT = LazyString(_password_hint)


def new_password_field(label, *, hint=PASSWORD_HINT) -> PasswordField:
    return PasswordField(label, widget=GovPasswordInput(), description=hint, validators=[NewPassword()])


def confirm_password_field(label, *, of: str) -> PasswordField:
    """The password typed again, matching the field named ``of``; ``label`` is also the message when it is empty."""
    return PasswordField(
        label,
        widget=GovPasswordInput(),
        validators=[InputRequired(message=label), EqualTo(of, message=_l("Passwords must match"))],
    )


def app_code_field(*, max_length: int | None = None) -> StringField:
    """The code an authenticator app shows, when it is set up. With ``max_length``, anything longer is
    refused here with the same message, before the two-step service reads it."""
    message = _l("Enter the 6-digit code your authenticator app shows now")
    validators = [InputRequired(message=message)]
    if max_length is not None:
        validators.append(Length(max=max_length, message=message))
    return StringField(_l("Code from your app"), widget=GovTextInput(), validators=validators)
