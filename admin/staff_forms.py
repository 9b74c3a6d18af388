"""WTForms for the staff users pages and the invitation's pages. They parse the request with GOV.UK
wording; the rules about who may do what live in portal.services.staff."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, HiddenField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Regexp, StopValidation, ValidationError

from portal.form_fields import app_code_field, confirm_password_field, new_password_field

EMAIL = r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$"  # the invitation's link proves the address
NAME_MAX_LENGTH = 100  # users.forename and users.surname
EMAIL_MAX_LENGTH = 320


class ChoiceRadioField(RadioField):
    """Radios whose answer must be one of the choices, with a GOV.UK message when it is not."""

    def __init__(self, label, *, message, **kwargs) -> None:
        super().__init__(label, widget=GovRadioInput(), validators=[InputRequired(message=message)], **kwargs)
        self.message = message

    def pre_validate(self, form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise StopValidation(self.message) from error


def _role_field(label) -> ChoiceRadioField:
    return ChoiceRadioField(
        label,
        message=_l("Select a role"),
        choices=[SelectChoice("caseworker", _l("Caseworker")), SelectChoice("admin", _l("Administrator"))],
    )


def _name_field(label, required, too_long) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[InputRequired(message=required), Length(max=NAME_MAX_LENGTH, message=too_long)],
    )


class InviteForm(FlaskForm):
    forename = _name_field(
        _l("First name"), _l("Enter their first name"), _l("First name must be 100 characters or fewer")
    )
    surname = _name_field(_l("Last name"), _l("Enter their last name"), _l("Last name must be 100 characters or fewer"))
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        description=_l("Use their work email address. We will send the invitation to it."),
        validators=[
            InputRequired(message=_l("Enter their email address")),
            Length(max=EMAIL_MAX_LENGTH, message=_l("Email address must be 320 characters or fewer")),
            Regexp(EMAIL, message=_l("Enter an email address in the correct format, like name@example.com")),
        ],
    )
    role = _role_field(_l("Role"))
    submit = SubmitField(_l("Send invitation"), widget=GovSubmitInput())


class _Versioned(FlaskForm):
    """A change to one person, carrying the version of them the page showed (stale forms are refused)."""

    version = HiddenField()


class RoleForm(_Versioned):
    role = _role_field(_l("Role"))
    submit = SubmitField(_l("Save role"), widget=GovSubmitInput())


class ChangeForm(_Versioned):
    """A button (deactivate, reactivate, reset, re-send, cancel); its words come from the page."""

    invitation = HiddenField()  # the invitation the page showed, for re-sending it once
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    @property
    def shown_invitation_id(self) -> int | None:
        value = (self.invitation.data or "").strip()
        return int(value) if value.isdigit() and len(value) < 12 else None


# -- the invitation's pages ------------------------------------------------------------------------------


class AcceptInvitationForm(FlaskForm):
    password = new_password_field(
        _l("Create a password"),
        hint=_l("Use at least 10 characters. A few unrelated words together are strong and easy to remember."),
    )
    confirm_password = confirm_password_field(_l("Confirm your password"), of="password")
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class SetUpTwoStepForm(FlaskForm):
    method = ChoiceRadioField(
        _l("How do you want to get your security codes?"),
        message=_l("Select how you want to get your security codes"),
        choices=[SelectChoice("app", _l("With an authenticator app")), SelectChoice("email", _l("By email"))],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class AppCodeForm(FlaskForm):
    code = app_code_field(max_length=20)  # the invitation's pages are open before sign-in
    submit = SubmitField(_l("Turn on two-step verification"), widget=GovSubmitInput())
