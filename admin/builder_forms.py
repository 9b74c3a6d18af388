"""WTForms for the form builder's pages, with GOV.UK widgets and wording.

The rules (what a code may be, which restrictions fit a type, what a condition may read) live in
portal.services.form_builder and formsengine; these forms only carry what was typed. Every form that
changes a working copy carries the ``row_version`` the page was shown with, so a change made meanwhile
by another administrator is refused rather than overwritten.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import HiddenInput

from .announcement_forms import DatePartsField

# The data types in the words an administrator uses, with what each gives the person filling in the form.
DATA_TYPE_CHOICES = (
    ("text", _l("Text, one line"), _l("A name, a reference, a short answer")),
    ("memo", _l("Text, several lines"), _l("A longer answer, like a description")),
    ("integer", _l("Whole number"), _l("A count, an age in years")),
    ("decimal", _l("Number with decimals"), _l("An amount of money, a weight")),
    ("yes_no", _l("Yes or no"), None),
    ("date", _l("Date"), _l("Day, month and year boxes")),
    ("choice", _l("One option from a list"), _l("Radios or a drop-down list")),
    ("multiple_choice", _l("Several options from a list"), _l("Checkboxes")),
    ("email", _l("Email address"), None),
    ("phone", _l("Telephone number"), None),
    ("postcode", _l("Postcode"), None),
    ("ni_number", _l("National Insurance number"), None),
    ("file", _l("File upload"), _l("A document, like a PDF or a Word file")),
    ("image", _l("Image upload"), _l("A photo or a scanned document")),
)
DATA_TYPE_NAMES = {value: name for value, name, _ in DATA_TYPE_CHOICES}


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


PORTAL_TYPE_CHOICES = [
    ("citizen", _l("Citizen portal (parents, carers, young people)")),
    ("professional", _l("Professional portal")),
]
PORTAL_USER_TYPE_CHOICES = [("parent_or_carer", _l("Parent or carer")), ("young_person", _l("Young person"))]
WIDGET_CHOICES = {
    "choice": [("radios", _l("Radios")), ("select", _l("A drop-down list (for long lists)"))],
}
DATE_DIRECTION_CHOICES = [("", _l("Any date")), ("past", _l("In the past")), ("future", _l("In the future"))]
ANSWER_RULE_CHOICES = [
    ("mandatory", _l("The question must be answered")),
    ("on_child_record", _l("Copy the answer to the child's record")),
    ("inherit_multiple", _l("The answer can be inherited more than once")),
    ("no_prefill", _l("Do not pre-fill the answer from earlier applications")),
]


class _Versioned(FlaskForm):
    row_version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0)])


class NewFormForm(FlaskForm):
    title = StringField(
        _l("Title"), widget=GovTextInput(), description=_l("Parents see this, for example 'Apply for a school place'")
    )
    code = StringField(
        _l("Code"),
        widget=GovTextInput(),
        description=_l(
            "Used in web addresses and never changes, for example school_place. "
            "Lower case letters, numbers and underscores."
        ),
    )
    portal_type = RadioField(
        _l("Who fills in the form?"),
        widget=GovRadioInput(),
        choices=choices(PORTAL_TYPE_CHOICES),
        default="citizen",
        validate_choice=False,
    )
    portal_user_type = RadioField(
        _l("Who is the user?"),
        widget=GovRadioInput(),
        choices=choices(PORTAL_USER_TYPE_CHOICES),
        default="parent_or_carer",
        validate_choice=False,
    )
    submit = SubmitField(_l("Create form"), widget=GovSubmitInput())


class CloneForm(FlaskForm):
    title = StringField(_l("Title of the copy"), widget=GovTextInput())
    code = StringField(
        _l("Code of the copy"),
        widget=GovTextInput(),
        description=_l("Lower case letters, numbers and underscores. Question codes are kept, so answers pre-fill."),
    )
    submit = SubmitField(_l("Make a copy"), widget=GovSubmitInput())


class ImportForm(FlaskForm):
    file = FileField(
        _l("Upload a form definition"),
        widget=GovFileInput(),
        description=_l("A YAML or JSON file, like the ones in form_definitions"),
    )
    replace = SelectMultipleField(
        _l("If a form with the same code exists"),
        widget=GovCheckboxesInput(),
        choices=choices([("yes", _l("Replace its working copy (nothing changes for parents until you publish)"))]),
        validate_choice=False,
    )
    submit = SubmitField(_l("Import"), widget=GovSubmitInput())


class DetailsForm(_Versioned):
    title = StringField(_l("Title"), widget=GovTextInput())
    portal_type = RadioField(
        _l("Who fills in the form?"),
        widget=GovRadioInput(),
        choices=choices(PORTAL_TYPE_CHOICES),
        validate_choice=False,
    )
    portal_user_type = RadioField(
        _l("Who is the user?"), widget=GovRadioInput(), choices=choices(PORTAL_USER_TYPE_CHOICES), validate_choice=False
    )
    description = TextAreaField(
        _l("Description (optional)"),
        widget=GovTextArea(),
        description=_l("For administrators only: parents never see it"),
    )
    guidance = TextAreaField(
        _l("Guidance notes (optional)"),
        widget=GovTextArea(),
        description=_l("Shown on the form's start page. You can use Markdown."),
    )
    submit = SubmitField(_l("Save details"), widget=GovSubmitInput())


class DeclarationForm(_Versioned):
    text = TextAreaField(
        _l("Declaration"),
        widget=GovTextArea(),
        description=_l("What the person ticks to agree to, on the check your answers page"),
    )
    error_message = StringField(
        _l("Error message (optional)"),
        widget=GovTextInput(),
        description=_l(
            "Shown when the box is not ticked, for example 'Confirm that the information you have given is true'"
        ),
    )
    code = StringField(
        _l("Code (optional)"), widget=GovTextInput(), description=_l("Left blank, it is made from the declaration")
    )
    submit = SubmitField(_l("Save declaration"), widget=GovSubmitInput())


class ConfirmForm(_Versioned):
    submit = SubmitField(_l("Yes, delete it"), widget=GovSubmitInput())


class MoveForm(_Versioned):
    direction = StringField(validators=[InputRequired()])


class GroupForm(_Versioned):
    name = StringField(_l("Page heading"), widget=GovTextInput())
    guidance = TextAreaField(
        _l("Guidance (optional)"),
        widget=GovTextArea(),
        description=_l("Shown above the questions. You can use Markdown."),
    )
    show_if = TextAreaField(
        _l("Show this page only when (optional)"),
        widget=GovTextArea(),
        description=_l("A condition on earlier answers, for example: claim_route = 'economic'"),
    )
    repeating = RadioField(
        _l("Can people add this page's answers more than once?"),
        widget=GovRadioInput(),
        choices=choices(
            [("no", _l("No")), ("yes", _l("Yes, it is a repeating page (for example, each child or each document)"))]
        ),
        default="no",
        validate_choice=False,
    )
    min_items = StringField(_l("Fewest items (optional)"), widget=GovTextInput())
    max_items = StringField(_l("Most items (optional)"), widget=GovTextInput())
    item_name = StringField(
        _l("What is one item called? (optional)"),
        widget=GovTextInput(),
        description=_l("For example, child or document"),
    )
    item_name_plural = StringField(
        _l("And more than one? (optional)"), widget=GovTextInput(), description=_l("For example, children")
    )
    add_another_label = StringField(
        _l("Add another button (optional)"), widget=GovTextInput(), description=_l("For example, Add another child")
    )
    code = StringField(
        _l("Code (optional)"),
        widget=GovTextInput(),
        description=_l(
            "Used in web addresses and to store a repeating page's answers. Left blank, it is made from the heading."
        ),
    )
    submit = SubmitField(_l("Save page"), widget=GovSubmitInput())


class QuestionTypeForm(FlaskForm):
    type = RadioField(
        _l("What type of answer do you want?"),
        widget=GovRadioInput(),
        choices=choices((value, name) for value, name, _ in DATA_TYPE_CHOICES),
        validators=[InputRequired(message=_l("Select the type of answer"))],
        validate_choice=False,
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class QuestionForm(_Versioned):
    label = StringField(_l("Question"), widget=GovTextInput())
    hint = StringField(_l("Hint (optional)"), widget=GovTextInput(), description=_l("Shown under the question"))
    code = StringField(
        _l("Code (optional)"),
        widget=GovTextInput(),
        description=_l(
            "Stores the answer and pre-fills it from other forms that use the same code. "
            "Left blank, it is made from the question."
        ),
    )
    error_name = StringField(
        _l("Name in error messages (optional)"),
        widget=GovTextInput(),
        description=_l("For example 'your date of birth' gives 'Enter your date of birth'"),
    )
    widget = RadioField(
        _l("How are the options shown?"),
        widget=GovRadioInput(),
        choices=choices(WIDGET_CHOICES["choice"]),
        default="radios",
        validate_choice=False,
    )
    options_text = TextAreaField(
        _l("Options"),
        widget=GovTextArea(),
        description=_l(
            "One on each line, as a label ('Universal Credit'), "
            "or as value | label | hint ('uc | Universal Credit | If you claim it')"
        ),
    )
    option_list = SelectField(_l("Or take the options from a named list"), widget=GovSelect(), validate_choice=False)
    answer_rules = SelectMultipleField(
        _l("Answer rules"), widget=GovCheckboxesInput(), choices=choices(ANSWER_RULE_CHOICES), validate_choice=False
    )
    max_length = StringField(_l("Maximum length in characters (optional)"), widget=GovTextInput())
    pattern_regex = StringField(
        _l("Pattern the answer must match (optional)"),
        widget=GovTextInput(),
        description=_l("A regular expression, for example ^400\\d{8}$"),
    )
    pattern_message = StringField(
        _l("Message when it does not match"),
        widget=GovTextInput(),
        description=_l("For example: Enter a code that starts with 400"),
    )
    min_value = StringField(_l("Smallest value (optional)"), widget=GovTextInput())
    max_value = StringField(_l("Largest value (optional)"), widget=GovTextInput())
    decimal_places = StringField(_l("Most decimal places (optional)"), widget=GovTextInput())
    prefix = StringField(_l("Prefix (optional)"), widget=GovTextInput(), description=_l("For example £"))
    suffix = StringField(_l("Suffix (optional)"), widget=GovTextInput(), description=_l("For example per week"))
    date_direction = RadioField(
        _l("When can the date be?"),
        widget=GovRadioInput(),
        choices=choices(DATE_DIRECTION_CHOICES),
        default="",
        validate_choice=False,
    )
    after = DatePartsField(_l("After (optional)"), description=_l("For example, 1 9 2020"))
    before = DatePartsField(_l("Before (optional)"), description=_l("For example, 31 8 2030"))
    at_least_years_ago = StringField(_l("At least this many years ago (optional)"), widget=GovTextInput())
    at_most_years_ago = StringField(_l("At most this many years ago (optional)"), widget=GovTextInput())
    file_types = StringField(
        _l("File types allowed (optional)"),
        widget=GovTextInput(),
        description=_l(
            "Extensions separated by commas, for example pdf, docx, jpg. Left blank, the portal's upload types apply."
        ),
    )
    show_if = TextAreaField(
        _l("Ask this question only when (optional)"),
        widget=GovTextArea(),
        description=_l("A condition on earlier answers, for example: has_code = true"),
    )
    submit = SubmitField(_l("Save question"), widget=GovSubmitInput())


class PublishForm(_Versioned):
    submit = SubmitField(_l("Publish"), widget=GovSubmitInput())


class StatusForm(FlaskForm):
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class OptionListForm(FlaskForm):
    row_version = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=0)])
    name = StringField(_l("Name of the list"), widget=GovTextInput(), description=_l("For example, Local councils"))
    code = StringField(
        _l("Code (optional)"), widget=GovTextInput(), description=_l("Left blank, it is made from the name")
    )
    options_text = TextAreaField(
        _l("Options"), widget=GovTextArea(), description=_l("One on each line, as a label, or as value | label | hint")
    )
    submit = SubmitField(_l("Save list"), widget=GovSubmitInput())


class DeleteListForm(FlaskForm):
    submit = SubmitField(_l("Yes, delete this list"), widget=GovSubmitInput())
