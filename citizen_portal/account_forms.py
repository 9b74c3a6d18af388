"""WTForms for registration, sign-in's second step, passwords and My account. They parse and check
the request (GOV.UK wording); the services decide everything else."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

from portal.form_fields import app_code_field, confirm_password_field, new_password_field

# A UK postcode, loosely: the council checks addresses; this catches typing slips.
POSTCODE = r"^\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}\s*$"
EMAIL = r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$"  # the address is proven by the link we send to it
PHONE = r"^[0-9 +()\-]{7,30}$"


def _email_field(label=None, hint=None) -> EmailField:
    return EmailField(
        label or _l("Email address"),
        widget=GovTextInput(),
        description=hint or "",
        validators=[
            InputRequired(message=_l("Enter your email address")),
            Length(max=320, message=_l("Email address must be 320 characters or fewer")),
            Regexp(EMAIL, message=_l("Enter an email address in the correct format, like name@example.com")),
        ],
    )


def _phone(label) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[
            Optional(),
            Regexp(PHONE, message=_l("Enter a telephone number, like 01632 960 001 or 07700 900 982")),
        ],
    )


class ConsentForm(FlaskForm):
    agree = BooleanField(
        _l("I agree to the council using my information as this statement describes"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l("Select that you agree to the data protection consent statement"))],
    )
    # The version the person read: a statement that goes live while the page is open is not agreed unseen.
    statement_version = HiddenField()
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def agrees_to(self, version: int) -> bool:
        """Valid, and posted from the page that showed `version`; otherwise the field says why."""
        if not self.validate_on_submit():
            return False
        if self.statement_version.data != str(version):
            changed = gettext("The statement changed while you were reading it. Read it again and agree to it.")
            self.agree.errors = [changed]
            self.agree.data = False
            return False
        return True


class PersonalDetailsForm(FlaskForm):
    title = StringField(_l("Title (optional)"), widget=GovTextInput(), validators=[Optional(), Length(max=40)])
    forename = StringField(
        _l("First name"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter your first name")), Length(max=100)],
    )
    surname = StringField(
        _l("Last name"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter your last name")), Length(max=100)],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class ContactDetailsForm(FlaskForm):
    postcode = StringField(
        _l("Postcode"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter your postcode")),
            Regexp(POSTCODE, message=_l("Enter a real postcode, like AA1 1AA")),
        ],
    )
    address_line_1 = StringField(
        _l("Address line 1 (optional)"), widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    address_line_2 = StringField(
        _l("Address line 2 (optional)"), widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    town = StringField(_l("Town or city (optional)"), widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    home_phone = _phone(_l("Home phone (optional)"))
    mobile_phone = _phone(_l("Mobile phone (optional)"))
    work_phone = _phone(_l("Work phone (optional)"))
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class RegistrationForm(PersonalDetailsForm, ContactDetailsForm):
    email = _email_field(hint=_l("We will send a link to this address to activate your account"))
    password = new_password_field(_l("Create a password"))
    confirm_password = confirm_password_field(_l("Confirm your password"), of="password")
    submit = SubmitField(_l("Create account"), widget=GovSubmitInput())


class EmailOnlyForm(FlaskForm):
    email = _email_field()
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())


class CodeForm(FlaskForm):
    code = StringField(
        _l("Verification code"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter your verification code")), Length(max=20)],
    )
    submit = SubmitField(_l("Verify"), widget=GovSubmitInput())


class NewPasswordForm(FlaskForm):
    new_password = new_password_field(_l("New password"))
    confirm_password = confirm_password_field(_l("Confirm your new password"), of="new_password")
    submit = SubmitField(_l("Change password"), widget=GovSubmitInput())


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter your current password")), Length(max=1000)],
    )


def _password_check() -> PasswordField:
    return PasswordField(
        _l("Your password"),
        widget=GovPasswordInput(),
        description=_l("For your security, enter your password again"),
        validators=[InputRequired(message=_l("Enter your password")), Length(max=1000)],
    )


class ChangeEmailForm(FlaskForm):
    email = _email_field(label=_l("New email address"))
    password = _password_check()
    submit = SubmitField(_l("Send confirmation link"), widget=GovSubmitInput())


class TwoStepMethodForm(FlaskForm):
    method = RadioField(
        _l("How do you want to get your security codes?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice("email", _l("By email")),
            SelectChoice("app", _l("With an authenticator app")),
            SelectChoice("none", _l("Turn off two-step verification")),
        ],
        validators=[InputRequired(message=_l("Select how you want to get your security codes"))],
    )
    password = _password_check()
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class AppCodeForm(FlaskForm):
    code = app_code_field()
    submit = SubmitField(_l("Turn on two-step verification"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A form that is only a button (and its CSRF token)."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
