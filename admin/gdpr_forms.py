"""WTForms for the GDPR administration pages, and the words for every problem the services refuse.

The forms only carry what was typed: the rules (lengths, dates, one scheduled statement at a time,
actioning once) live in the services, which answer with a `ProblemCode`; `show_problems` puts each
one's message, in the reader's language, on the field it is about or at the top of the page.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, StringField, SubmitField, TextAreaField

from portal.services.gdpr_errors import GdprError, ProblemCode
from portal.templating import london_time, long_date

from .announcement_forms import DatePartsField

MESSAGES = {
    ProblemCode.STATEMENT_MISSING: _l("Enter the consent statement"),
    ProblemCode.STATEMENT_TOO_LONG: _l("The consent statement must be %(max)s characters or fewer"),
    ProblemCode.AGREEMENT_MISSING: _l("Enter the words beside the tick box"),
    ProblemCode.AGREEMENT_TOO_LONG: _l("The words beside the tick box must be %(max)s characters or fewer"),
    ProblemCode.DATE_MISSING: _l("Enter the publication date"),
    ProblemCode.DATE_INCOMPLETE: _l("Publication date must include a %(missing)s"),
    ProblemCode.DATE_NOT_REAL: _l("Publication date must be a real date"),
    ProblemCode.DATE_IN_PAST: _l("Publication date must be today or in the future"),
    ProblemCode.DATE_TOO_FAR: _l("Publication date must be within %(years)s years"),
    ProblemCode.ALREADY_SCHEDULED: _l(
        "Version %(version)s is already scheduled for %(date)s. Change or cancel it before adding another version"
    ),
    ProblemCode.NEWER_VERSION: _l(
        "Version %(version)s was added since you opened this page. Check the list of statements before adding another"
    ),
    ProblemCode.ALREADY_PUBLISHED: _l("Version %(version)s has been published, so it can no longer be changed"),
    ProblemCode.EMAIL_MISSING: _l("Enter an email address"),
    ProblemCode.EMAIL_TOO_LONG: _l("Email address must be %(max)s characters or fewer"),
    ProblemCode.EMAIL_FORMAT: _l("Enter an email address in the correct format, like name@example.com"),
    ProblemCode.EMAIL_ALREADY_LISTED: _l("%(email)s is already on the list"),
    ProblemCode.NOTE_MISSING: _l("Enter what was done"),
    ProblemCode.NOTE_TOO_LONG: _l("What was done must be %(max)s characters or fewer"),
    ProblemCode.ALREADY_ACTIONED: _l("This withdrawal was already marked as actioned by %(name)s on %(when)s"),
    ProblemCode.SEARCH_MISSING: _l("Enter an email address or account reference"),
    ProblemCode.SEARCH_TOO_LONG: _l("Email address or account reference must be %(max)s characters or fewer"),
}

_DATE_PARTS = {"day": _l("day"), "month": _l("month"), "year": _l("year")}


def _words(params: dict) -> dict[str, object]:
    """Parameters as a person reads them: dates and times in GOV.UK style, missing parts in words."""
    shown: dict[str, object] = {}
    for key, value in params.items():
        if key == "missing":
            parts = [str(_DATE_PARTS[part]) for part in value]
            shown[key] = (
                parts[0] if len(parts) == 1 else gettext("%(first)s and %(second)s", first=parts[0], second=parts[1])
            )
        elif key == "when":
            shown[key] = london_time(value)
        elif key == "date":
            shown[key] = long_date(value)
        elif key == "max":
            shown[key] = f"{value:,}"
        else:
            shown[key] = value
    return shown


def message_for(code: ProblemCode, params: dict) -> str:
    return str(MESSAGES[code]) % _words(params) if params else str(MESSAGES[code])


def show_problems(form: FlaskForm, error: GdprError) -> None:
    """Each problem on its field, or (when it is about the whole page) in the form's own errors."""
    for problem in error.problems:
        text = message_for(problem.code, problem.params)
        field = getattr(form, problem.field, None) if problem.field else None
        if field is None:
            form.form_errors = [*form.form_errors, text]
        else:
            field.errors = [*field.errors, text]


class StatementForm(FlaskForm):
    body_markdown = TextAreaField(
        _l("Consent statement"),
        widget=GovTextArea(),
        description=_l("What parents read before they agree. You can use Markdown, for example **bold**, "
                       "lists starting with - and [a link](/privacy)."),
    )  # fmt: skip
    agreement_text = StringField(
        _l("Words beside the tick box"),
        widget=GovTextInput(),
        description=_l("For example, I agree to the council using my information as this statement describes"),
    )
    publish_on = DatePartsField(
        _l("Publication date"),
        description=_l("Today publishes it at once. A later date publishes it at the start of that day. "
                       "For example, 27 3 2027"),
    )  # fmt: skip
    seen_version = HiddenField()
    preview = SubmitField(_l("Preview"), widget=GovSubmitInput())
    submit = SubmitField(_l("Save statement"), widget=GovSubmitInput())


class CancelStatementForm(FlaskForm):
    submit = SubmitField(_l("Yes, cancel this statement"), widget=GovSubmitInput())


class AlertRecipientForm(FlaskForm):
    email = StringField(_l("Email address"), widget=GovTextInput())
    submit = SubmitField(_l("Add email address"), widget=GovSubmitInput())


class RemoveRecipientForm(FlaskForm):
    email = HiddenField()


class ActionWithdrawalForm(FlaskForm):
    note = TextAreaField(
        _l("What was done"),
        widget=GovTextArea(),
        description=_l("For example, which records were deleted or kept, and why. Do not include the person's name."),
    )
    submit = SubmitField(_l("Mark as actioned"), widget=GovSubmitInput())


class AccountSearchForm(FlaskForm):
    """A search in the query string: nothing changes, so no CSRF token (a bookmarkable address)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Email address or account reference"),
        widget=GovTextInput(),
        description=_l("Part of an email address finds every parent's account containing it."),
    )
