"""WTForms for the announcements pages, with GOV.UK widgets. The rules live in the service."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import Field, StringField, SubmitField, TextAreaField


class DatePartsField(Field):
    """The day, month and year boxes of a GOV.UK date input, kept as typed (the service checks them).

    `raw_data` always holds three strings after a post, so the widget never breaks on a missing box.
    """

    widget = GovDateInput()

    def process_formdata(self, valuelist):
        parts = [str(v) for v in valuelist[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        self.data = tuple(parts)

    def _value(self) -> str:
        return " ".join(self.raw_data or [])

    def show_date(self, value: date) -> None:
        self.raw_data = [str(value.day), str(value.month), str(value.year)]
        self.data = tuple(self.raw_data)

    @property
    def parts(self) -> tuple[str, str, str]:
        if isinstance(self.data, tuple):
            return self.data  # type: ignore[return-value]
        return ("", "", "")


class AnnouncementForm(FlaskForm):
    title = StringField(_l("Title"), widget=GovTextInput())
    body_markdown = TextAreaField(_l("Announcement"), widget=GovTextArea())
    starts_on = DatePartsField(_l("Start date"), description=_l("For example, 27 3 2027"))
    ends_on = DatePartsField(_l("End date"), description=_l("The last day it is shown. For example, 3 4 2027"))
    preview = SubmitField(_l("Preview"), widget=GovSubmitInput())
    submit = SubmitField(_l("Save announcement"), widget=GovSubmitInput())


class DeleteAnnouncementForm(FlaskForm):
    submit = SubmitField(_l("Yes, delete this announcement"), widget=GovSubmitInput())
