"""WTForms for the staff pages, with GOV.UK widgets and wording."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length
from wtforms.widgets import HiddenInput

from portal.models import Decision


class AssignForm(FlaskForm):
    assignee = SelectField(_l("Assign to"), widget=GovSelect(), coerce=int, validate_choice=True)
    submit = SubmitField(_l("Reassign"), widget=GovSubmitInput())


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("Add an internal note"),
        widget=GovTextArea(),
        validators=[InputRequired(message=_l("Enter a note")), Length(max=5000)],
    )
    submit = SubmitField(_l("Add note"), widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    template_id = HiddenField()
    subject = StringField(
        _l("Subject"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter a subject")), Length(max=200)],
    )
    body = TextAreaField(
        _l("Message to the parent"),
        widget=GovTextArea(),
        validators=[InputRequired(message=_l("Enter a message")), Length(max=10_000)],
    )
    open_groups = SelectMultipleField(_l("Which answers can the parent change?"), widget=GovCheckboxesInput())
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())


class TemplateForm(FlaskForm):
    name = StringField(_l("Template name"), widget=GovTextInput())
    decisions = SelectMultipleField(
        _l("Decisions this template can be used for"),
        widget=GovCheckboxesInput(),
        choices=[SelectChoice(d.value, d.label) for d in Decision],
        validate_choice=False,
    )
    subject = StringField(_l("Subject"), widget=GovTextInput())
    body_markdown = TextAreaField(_l("Message"), widget=GovTextArea())
    preview = SubmitField(_l("Preview"), widget=GovSubmitInput())
    submit = SubmitField(_l("Save template"), widget=GovSubmitInput())


class LinkChildForm(FlaskForm):
    record = RadioField(
        _l("Which record is this child?"),
        widget=GovRadioInput(),
        validators=[InputRequired(message=_l("Select the child's record, or that this is a new child"))],
    )
    submit = SubmitField(_l("Save match"), widget=GovSubmitInput())


class ContentTextForm(FlaskForm):
    # Checked by portal.services.content_admin (one place for the rules), like TemplateForm.
    title = StringField(_l("Title"), widget=GovTextInput())
    body_markdown = TextAreaField(_l("Text"), widget=GovTextArea())
    preview = SubmitField(_l("Preview"), widget=GovSubmitInput())
    submit = SubmitField(_l("Save text"), widget=GovSubmitInput())


class ResetContentTextForm(FlaskForm):
    reset = SubmitField(_l("Go back to the default text"), widget=GovSubmitInput())
