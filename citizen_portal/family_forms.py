"""WTForms for My Family, with GOV.UK widgets and wording."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import DateField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

GENDERS = [
    SelectChoice("female", _l("Female")),
    SelectChoice("male", _l("Male")),
    SelectChoice("not_say", _l("Prefer not to say")),
]


class GovDateField(DateField):
    """Day, month and year boxes that never break on a missing part (the widget unpacks three values)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist:
            parts = [str(v).strip() for v in valuelist[:3]]
            parts += [""] * (3 - len(parts))
            self.raw_data = parts
            if not any(parts):
                self.data = None
                return
            try:
                day, month, year = (int(p) for p in parts)
                self.data = date(year, month, day) if len(parts[2]) == 4 else None
            except ValueError:
                self.data = None
            if self.data is None:
                raise ValueError(_l("Date of birth must be a real date"))


def _in_the_past(form, field):
    if field.data is not None and field.data >= date.today():
        raise ValidationError(_l("Date of birth must be in the past"))


class ChildForm(FlaskForm):
    forename = StringField(
        _l("First name"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter the child's first name")), Length(max=100)],
    )
    surname = StringField(
        _l("Last name"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter the child's last name")), Length(max=100)],
    )
    date_of_birth = GovDateField(
        _l("Date of birth"),
        widget=GovDateInput(),
        validators=[InputRequired(message=_l("Enter the child's date of birth")), _in_the_past],
        description=_l("For example, 15 6 2024"),
    )
    gender = RadioField(
        _l("Gender"),
        widget=GovRadioInput(),
        choices=GENDERS,
        validators=[InputRequired(message=_l("Select the child's gender"))],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())
