"""WTForms and wording for the data retention pages. The rules live in portal.services.retention; the
messages for each of its problem codes are here, translated, in one catalogue."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice

from portal.models import ApplicationStatus
from portal.services.retention import (
    DELETABLE_STATUSES,
    EVERY_FORM,
    MONTHS_MAX,
    MONTHS_MIN,
    Problem,
    RuleState,
    TurnOnRefusal,
)

STATUS_LABELS = {
    ApplicationStatus.DRAFT: _l("Not sent"),
    ApplicationStatus.SUBMITTED: _l("Submitted"),
    ApplicationStatus.IN_REVIEW: _l("In review"),
    ApplicationStatus.MORE_INFORMATION_REQUESTED: _l("More information requested"),
    ApplicationStatus.RESUBMITTED: _l("Resubmitted"),
    ApplicationStatus.APPROVED: _l("Approved"),
    ApplicationStatus.REJECTED: _l("Rejected"),
    ApplicationStatus.WITHDRAWN: _l("Withdrawn"),
}

STATE_LABELS = {
    RuleState.PENDING: _l("Dry run pending"),
    RuleState.CHECKED: _l("Report checked"),
    RuleState.ON: _l("On"),
}
STATE_TAG_CLASSES = {
    RuleState.PENDING: "govuk-tag--yellow",
    RuleState.CHECKED: "govuk-tag--blue",
    RuleState.ON: "govuk-tag--green",
}

PROBLEM_MESSAGES = {
    Problem.FORM_MISSING: _l("Select which form the rule is for"),
    Problem.FORM_UNKNOWN: _l("Select a form from the list"),
    Problem.STATUS_MISSING: _l("Select which applications to delete"),
    Problem.STATUS_UNKNOWN: _l("Select approved, rejected or withdrawn"),
    Problem.STATUS_NOT_DECIDED: _l(
        "Select approved, rejected or withdrawn: applications waiting for a decision are never deleted by a rule"
    ),
    Problem.MONTHS_MISSING: _l("Enter how many months to keep the applications"),
    Problem.MONTHS_NOT_WHOLE: _l("The number of months must be a whole number, like 24"),
    Problem.MONTHS_OUT_OF_RANGE: _l(
        "The number of months must be between %(min)s and %(max)s", min=MONTHS_MIN, max=MONTHS_MAX
    ),
    Problem.DUPLICATE: _l("There is already a rule for these applications: change that rule instead"),
    Problem.CHANGED_SINCE_OPENED: _l(
        "Someone changed this rule after you opened the page. Check what it says now and make your change again"
    ),
}

REFUSAL_MESSAGES = {
    TurnOnRefusal.REPORT_NOT_VIEWED: _l("Check the rule’s dry run report before you turn it on."),
    TurnOnRefusal.CHANGED_SINCE_REPORT: _l(
        "The rule changed after the report you saw was made. Check the new report before you turn it on."
    ),
}


class RetentionRuleForm(FlaskForm):
    # The rule's version when the page was opened, so a change made meanwhile is not overwritten.
    row_version = HiddenField()
    # Choices are checked by the service (one place for the rules), which words each problem.
    form_code = RadioField(_l("Which form are the applications to?"), widget=GovRadioInput(), validate_choice=False)
    status = RadioField(
        _l("Which applications should be deleted?"),
        widget=GovRadioInput(),
        validate_choice=False,
        choices=[SelectChoice(status.value, STATUS_LABELS[status]) for status in DELETABLE_STATUSES],
    )
    months = StringField(_l("How many months after the decision should they be deleted?"), widget=GovTextInput())
    submit = SubmitField(_l("Save and check the dry run"), widget=GovSubmitInput())

    def offer_forms(self, titles: dict[str, str]) -> None:
        self.form_code.choices = [
            SelectChoice(EVERY_FORM, _l("Every form")),
            *(SelectChoice(code, title) for code, title in titles.items()),
        ]


class TurnOnForm(FlaskForm):
    row_version = HiddenField()
    submit = SubmitField(_l("Turn on this rule"), widget=GovSubmitInput())


class TurnOffForm(FlaskForm):
    submit = SubmitField(_l("Turn off this rule"), widget=GovSubmitInput())


class DeleteRuleForm(FlaskForm):
    submit = SubmitField(_l("Yes, delete this rule"), widget=GovSubmitInput())
