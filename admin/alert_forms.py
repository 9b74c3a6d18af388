"""WTForms for the alerts pages, with GOV.UK widgets, and the wording of every error the service returns.

The rules live in `portal.services.alerts`, which answers with error codes and values; the messages
are here, in the Design System's style and wrapped for translation.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from portal.models import AlertAction, AlertKind
from portal.services.alerts import AlertErrorCode, AlertProblem

KIND_LABELS = {
    AlertKind.SUBMITTED: _l("An application for a form is submitted"),
    AlertKind.CONSENT_WITHDRAWN: _l("Someone withdraws their consent"),
    AlertKind.DRAFTS_EXPIRING: _l("Unsent applications will soon be deleted"),
    AlertKind.AWAITING_DECISION: _l("Submissions have waited too long for a decision"),
}
KIND_HINTS = {
    AlertKind.SUBMITTED: _l("Straight away, each time one is submitted or sent again with more information."),
    AlertKind.CONSENT_WITHDRAWN: _l("Straight away, each time someone withdraws their data protection consent."),
    AlertKind.DRAFTS_EXPIRING: _l("Once a day, about applications that will be deleted within a number of days."),
    AlertKind.AWAITING_DECISION: _l("Once a day, about submissions waiting longer than a number of days."),
}
ACTION_LABELS = {
    AlertAction.EMAIL_LIST: _l("Email a list of addresses"),
    AlertAction.MESSAGE_APPLICANT: _l("Send the applicant a message"),
}
ACTION_HINTS = {
    AlertAction.EMAIL_LIST: _l(
        "Staff get references, numbers and links to the staff area. Parents' names and contact details are "
        "never included."
    ),
    AlertAction.MESSAGE_APPLICANT: _l(
        "It goes to their Messages in the portal, and an email tells them they have a new message."
    ),
}
DAYS_LABELS = {
    AlertKind.DRAFTS_EXPIRING: _l("How many days before they are deleted?"),
    AlertKind.AWAITING_DECISION: _l("After how many days of waiting?"),
}
DAYS_HINTS = {
    AlertKind.DRAFTS_EXPIRING: _l("Unsent applications that will be deleted within this many days. For example, 3"),
    AlertKind.AWAITING_DECISION: _l("Submissions that have waited longer than this for a decision. For example, 10"),
}

_C = AlertErrorCode
MESSAGES = {
    _C.NAME_MISSING: _l("Enter a name for the alert"),
    _C.NAME_TOO_LONG: _l("Name must be %(max)s characters or fewer"),
    _C.NAME_TAKEN: _l("There is already an alert called %(name)s. Enter a different name"),
    _C.FORM_MISSING: _l("Select a form"),
    _C.FORM_UNKNOWN: _l("Select a form from the list"),
    _C.DAYS_MISSING: _l("Enter the number of days"),
    _C.DAYS_NOT_WHOLE: _l("Number of days must be a whole number, like 3"),
    _C.DAYS_OUT_OF_RANGE: _l("Number of days must be between %(low)s and %(high)s"),
    _C.ACTION_MISSING: _l("Select what the alert does"),
    _C.ACTION_NOT_FOR_WITHDRAWAL: _l(
        "Someone who withdraws their consent cannot be sent a message because their account is closed. "
        "Select email a list of addresses"
    ),
    _C.RECIPIENTS_MISSING: _l("Enter at least one email address"),
    _C.RECIPIENT_INVALID: _l(
        "%(entry)s is not a valid email address. Enter email addresses in the correct format, like name@example.com"
    ),
    _C.RECIPIENTS_TOO_MANY: _l("Enter %(max)s email addresses or fewer"),
    _C.SUBJECT_MISSING: _l("Enter a subject"),
    _C.SUBJECT_TOO_LONG: _l("Subject must be %(max)s characters or fewer"),
    _C.SUBJECT_MULTIPLE_LINES: _l("Subject must be on one line"),
    _C.BODY_MISSING: _l("Enter a message"),
    _C.BODY_TOO_LONG: _l("Message must be %(max)s characters or fewer"),
    _C.REFERENCE_NOT_FOR_DRAFTS: _l("Unsent applications do not have a reference yet. Remove {{Reference}}"),
}


def message_for(problem: AlertProblem) -> str:
    if problem.message:
        return problem.message
    values = {key: f"{value:,}" if isinstance(value, int) else value for key, value in problem.values.items()}
    text = str(MESSAGES[problem.code])
    return text % values if values else text


class AlertKindForm(FlaskForm):
    kind = RadioField(
        _l("What sets off the alert?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(kind.value, KIND_LABELS[kind]) for kind in AlertKind],
        validators=[InputRequired(message=_l("Select what sets off the alert"))],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class AlertActionForm(FlaskForm):
    action = RadioField(
        _l("What does the alert do?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(action.value, ACTION_LABELS[action]) for action in AlertAction],
        validate_choice=False,  # the view checks it against the actions the kind allows, in GOV.UK words
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class AlertForm(FlaskForm):
    # Checked by portal.services.alerts (one place for the rules); the view sets the choices and labels
    # that depend on the alert's kind. What the alert does is chosen on a page of its own (its own
    # fields follow it here), so no field is shown that the alert will not use.
    creation_token = HiddenField()
    name = StringField(
        _l("Name"),
        widget=GovTextInput(),
        description=_l("Say what the alert is for, so others know. For example, New SEND requests for the SEND team"),
    )
    form_code = SelectField(_l("Which form?"), widget=GovSelect(), validate_choice=False)
    days = StringField(_l("Number of days"), widget=GovTextInput())
    recipients = TextAreaField(
        _l("Email addresses"),
        widget=GovTextArea(),
        description=_l("Put each address on its own line, or separate them with commas or semicolons"),
    )
    subject = StringField(_l("Subject"), widget=GovTextInput())
    body_markdown = TextAreaField(_l("Message"), widget=GovTextArea())
    preview = SubmitField(_l("Preview"), widget=GovSubmitInput())
    submit = SubmitField(_l("Save alert"), widget=GovSubmitInput())


class AlertActivationForm(FlaskForm):
    # The state asked for ("on" or "off"), not a toggle: posting the same form twice changes nothing more.
    active = HiddenField()
    submit = SubmitField(widget=GovSubmitInput())


class DeleteAlertForm(FlaskForm):
    submit = SubmitField(_l("Yes, delete this alert"), widget=GovSubmitInput())
