"""WTForms for the site settings pages, one per group, made from the settings' own definitions.

The forms only carry what was typed: every rule (numbers, lengths, choices, the upload cap) is checked
by portal.services.site_settings, the one place for them, which returns a GOV.UK message per field.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, SubmitField

from portal.services import site_settings as service


class SettingsForm(FlaskForm):
    """The fields of one group, plus the fingerprint of the values the page was opened with."""

    loaded = HiddenField()
    submit = SubmitField(_l("Save changes"), widget=GovSubmitInput())

    def fill(self, page: service.EditPage, *, values: bool) -> None:
        """Give choice fields their options, and (values=True) show the values in force."""
        for item in page.fields:
            field = self[item.setting.key]
            if item.choices:
                field.choices = [(choice.value, choice.label) for choice in item.choices]
            if values:
                field.data = item.value
        if values:  # a posted form keeps the fingerprint it was opened with
            self.loaded.data = page.fingerprint

    def submitted(self, page: service.EditPage) -> dict[str, Any]:
        """What was posted for each setting of the group, as typed."""
        return {item.setting.key: self[item.setting.key].data for item in page.fields}


def _field(setting: service.Setting):
    if setting.kind is service.Kind.ONE_OF:
        return RadioField(setting.label, widget=GovRadioInput(), validate_choice=False)
    if setting.kind is service.Kind.ANY_OF:
        return SelectMultipleField(setting.label, widget=GovCheckboxesInput(), validate_choice=False)
    return StringField(setting.label, widget=GovTextInput())


def _form_class(group: service.Group) -> type[SettingsForm]:
    fields = {setting.key: _field(setting) for setting in group.settings}
    name = "".join(part.capitalize() for part in group.slug.split("-")) + "SettingsForm"
    return type(name, (SettingsForm,), fields)


FORMS: dict[str, type[SettingsForm]] = {group.slug: _form_class(group) for group in service.GROUPS}


class ResetSettingForm(FlaskForm):
    submit = SubmitField(_l("Reset to default"), widget=GovSubmitInput())
