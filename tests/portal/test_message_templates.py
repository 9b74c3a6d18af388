"""Message templates: placeholders checked at save time, filled in safely, and the shipped defaults."""

from __future__ import annotations

import html
import re

import pytest
from helpers import make_user
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from portal import migrate
from portal.models import AuditEvent, Decision, MessageTemplate, MessageTemplateDecision, Role
from portal.services.message_templates import (
    PLACEHOLDERS,
    SAMPLE_VALUES,
    TemplateDraft,
    TemplateError,
    TemplateErrorCode,
    check_template,
    compose_message,
    create_template,
    delete_template,
    list_templates,
    placeholders_in,
    preview,
    render,
    templates_for_decision,
    update_template,
)

ALL_TOKENS = (
    "{{Title}}, {{Forename}}, {{Surname}}, {{BusPhone}}, {{Mobile}}, {{HomePhone}}, {{Reference}}, "
    "{{ChildName}}, {{FundingStart}}"
)


def draft(**changes) -> TemplateDraft:
    fields = {
        "name": "Rejected: income above limit",
        "decisions": [Decision.REJECT],
        "subject": "Your application {{Reference}}",
        "body_markdown": "Dear {{Forename}} {{Surname}},\n\nWe cannot approve your application.",
    }
    fields.update(changes)
    return TemplateDraft(**fields)


def messages(problems) -> list[tuple[str, str]]:
    return [(p.field, p.message) for p in problems]


def visible_text(body_html: str) -> str:
    """What a person reads: the HTML without tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body_html)).split())


# --- placeholders --------------------------------------------------------------------------------


def test_the_placeholders_are_the_handbooks_and_the_decisions():
    assert [p.token for p in PLACEHOLDERS] == ALL_TOKENS.split(", ")
    assert set(SAMPLE_VALUES) == {p.name for p in PLACEHOLDERS}


@pytest.mark.parametrize("placeholder", [p.name for p in PLACEHOLDERS])
def test_every_placeholder_is_filled_in_the_subject_the_html_and_the_text(placeholder):
    template = draft(subject=f"About {{{{{placeholder}}}}}", body_markdown=f"Value: {{{{{placeholder}}}}}.")
    assert check_template(template) == []
    message = render(template, {placeholder: "Siân-Zoë 01632"})
    assert message.subject == "About Siân-Zoë 01632"
    assert visible_text(message.body_html) == "Value: Siân-Zoë 01632."
    assert message.body_text == "Value: Siân-Zoë 01632.\n"


def test_the_same_placeholder_can_appear_many_times_and_spaces_inside_the_brackets_are_allowed():
    template = draft(subject="{{ Forename }}", body_markdown="{{Forename}} and {{ Forename }} and {{Surname}}")
    assert check_template(template) == []
    assert placeholders_in(template.body_markdown) == ["Forename", "Surname"]
    message = render(template, {"Forename": "Sam", "Surname": "Smith"})
    assert message.subject == "Sam"
    assert message.body_text == "Sam and Sam and Smith\n"


def test_a_missing_value_is_left_empty_and_an_unknown_value_name_is_a_programming_error():
    template = draft(body_markdown="Call {{Mobile}} or {{HomePhone}}")
    assert render(template, {"Mobile": "07700 900 982", "HomePhone": None}).body_text == "Call 07700 900 982 or\n"
    with pytest.raises(KeyError, match="Firstname"):
        render(template, {"Firstname": "Sam"})


def test_a_value_that_looks_like_a_placeholder_is_not_filled_in_again():
    message = render(draft(body_markdown="Dear {{Forename}}"), {"Forename": "{{Surname}}", "Surname": "Smith"})
    assert visible_text(message.body_html) == "Dear {{Surname}}"
    assert message.body_text == "Dear {{Surname}}\n"


# --- refused at save time ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (
            "Dear {{Firstname}}",
            TemplateErrorCode.PLACEHOLDER_UNKNOWN,
            "{{Firstname}} is not a placeholder you can use. Use one of: " + ALL_TOKENS,
        ),
        (
            "Dear {{Forename Surname}}",
            TemplateErrorCode.PLACEHOLDER_UNKNOWN,
            "{{Forename Surname}} is not a placeholder you can use. Use one of: " + ALL_TOKENS,
        ),
        (
            "Dear {{forename}}",
            TemplateErrorCode.PLACEHOLDER_WRONG_CASE,
            "{{forename}} is not a placeholder you can use. Did you mean {{Forename}}?",
        ),
        (
            "Dear {{}}",
            TemplateErrorCode.PLACEHOLDER_EMPTY,
            "{{}} has no placeholder name in it. Use one of: " + ALL_TOKENS,
        ),
        (
            "Dear {{Forename, welcome",
            TemplateErrorCode.PLACEHOLDER_NOT_CLOSED,
            "{{Forename, must end with }}, like {{Forename}}",
        ),
        (
            "Dear {{Forename\n\nWelcome",
            TemplateErrorCode.PLACEHOLDER_NOT_CLOSED,
            "{{Forename must end with }}, like {{Forename}}",
        ),
        (
            "Dear {{Forename {{Surname}}",
            TemplateErrorCode.PLACEHOLDER_NOT_CLOSED,
            "{{Forename must end with }}, like {{Forename}}",
        ),
        (
            "Dear Forename}}",
            TemplateErrorCode.PLACEHOLDER_NOT_OPENED,
            "Forename}} must start with {{, like {{Forename}}",
        ),
        (
            "Dear {{{Forename}}}",
            TemplateErrorCode.PLACEHOLDER_BRACKETS,
            "{{{Forename}} must have 2 curly brackets on each side, like {{Forename}}",
        ),
    ],
)
def test_a_malformed_or_unknown_placeholder_is_refused_naming_it(db, body, code, message):
    [problem] = check_template(draft(body_markdown=body))
    assert (problem.field, problem.code, problem.message) == ("body_markdown", code, message)
    with pytest.raises(TemplateError) as refused:
        create_template(db, draft(body_markdown=body))
    assert messages(refused.value.problems) == [("body_markdown", message)]
    assert db.scalar(select(func.count()).select_from(MessageTemplate)) == 0


def test_every_problem_is_reported_at_once_against_its_own_field():
    problems = check_template(
        TemplateDraft(name=" ", decisions=[], subject="Hello {{Name}}", body_markdown="{{Adress}} and {{Adress}}")
    )
    assert messages(problems) == [
        ("name", "Enter a template name"),
        ("decisions", "Select the decisions this template can be used for"),
        ("subject", "{{Name}} is not a placeholder you can use. Use one of: " + ALL_TOKENS),
        ("body_markdown", "{{Adress}} is not a placeholder you can use. Use one of: " + ALL_TOKENS),
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "x" * 101}, "name", "Template name must be 100 characters or fewer"),
        ({"decisions": ["approve", "grant"]}, "decisions", "Select the decisions this template can be used for"),
        ({"subject": "   "}, "subject", "Enter a subject"),
        ({"subject": "Your application\nBcc: someone@example.com"}, "subject", "Subject must be on one line"),
        ({"subject": "x" * 151}, "subject", "Subject must be 150 characters or fewer"),
        ({"body_markdown": "\n \n"}, "body_markdown", "Enter a message"),
        ({"body_markdown": "x" * 10_001}, "body_markdown", "Message must be 10,000 characters or fewer"),
    ],
)
def test_missing_and_oversized_fields_are_refused_in_govuk_wording(changes, field, message):
    assert messages(check_template(draft(**changes))) == [(field, message)]


def test_a_name_already_used_is_refused_whatever_its_case(db):
    create_template(db, draft(name="Not approved"))
    with pytest.raises(TemplateError) as refused:
        create_template(db, draft(name="  NOT APPROVED "))
    assert messages(refused.value.problems) == [
        ("name", "There is already a template called NOT APPROVED. Enter a different name")
    ]
    other = create_template(db, draft(name="Approved", decisions=[Decision.APPROVE]))
    with pytest.raises(TemplateError):
        update_template(db, other.id, draft(name="not approved"))
    db.expire_all()
    assert sorted(t.name for t in list_templates(db)) == ["Approved", "Not approved"]


# --- storing -------------------------------------------------------------------------------------


def test_a_saved_template_is_offered_for_each_of_its_decisions_and_only_those(db):
    create_template(db, draft(name="Rejected: income above limit", decisions=[Decision.REJECT]))
    create_template(db, draft(name="approved", decisions=(d for d in ["approve"])))
    create_template(db, draft(name="Acknowledgement", decisions=[Decision.REQUEST_MORE_INFORMATION, Decision.APPROVE]))
    db.expire_all()
    names = {decision: [t.name for t in templates_for_decision(db, decision)] for decision in Decision}
    assert names == {
        Decision.APPROVE: ["Acknowledgement", "approved"],
        Decision.REJECT: ["Rejected: income above limit"],
        Decision.REQUEST_MORE_INFORMATION: ["Acknowledgement"],
    }
    [acknowledgement] = templates_for_decision(db, Decision.REQUEST_MORE_INFORMATION)
    assert acknowledgement.decisions == (Decision.APPROVE, Decision.REQUEST_MORE_INFORMATION)


def test_saving_trims_the_fields_and_records_who_did_it(db: Session):
    admin = make_user(db, role=Role.ADMIN, email="admin@example.com")
    template = create_template(
        db,
        draft(name="  Approved ", subject=" Approved {{Reference}} ", body_markdown="\nWell done\n\n"),
        actor_id=admin.id,
        client_address="192.0.2.1",
    )
    db.expire_all()
    saved = db.get(MessageTemplate, template.id)
    assert (saved.name, saved.subject, saved.body_markdown) == ("Approved", "Approved {{Reference}}", "Well done\n")
    assert saved.updated_by_id == admin.id
    [event] = db.scalars(select(AuditEvent)).all()
    assert (event.action, event.actor_id, event.object_type, event.object_id, event.client_address) == (
        "message_template.created",
        admin.id,
        "message_template",
        str(template.id),
        "192.0.2.1",
    )


def test_updating_changes_text_and_decisions_and_a_refused_update_changes_nothing(db):
    template = create_template(db, draft(decisions=[Decision.REJECT, Decision.REQUEST_MORE_INFORMATION]))
    update_template(
        db, template.id, draft(name="Renamed", decisions=[Decision.REQUEST_MORE_INFORMATION], subject="New subject")
    )
    with pytest.raises(TemplateError):
        update_template(db, template.id, draft(name="Broken", body_markdown="{{Firstname}}"))
    db.expire_all()
    saved = db.get(MessageTemplate, template.id)
    assert (saved.name, saved.subject, saved.decisions) == (
        "Renamed",
        "New subject",
        (Decision.REQUEST_MORE_INFORMATION,),
    )
    assert templates_for_decision(db, Decision.REJECT) == []
    actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["message_template.created", "message_template.changed"]


def test_deleting_a_template_removes_it_from_every_decision(db):
    template = create_template(db, draft(decisions=list(Decision)))
    delete_template(db, template.id)
    assert db.scalar(select(func.count()).select_from(MessageTemplate)) == 0
    assert db.scalar(select(func.count()).select_from(MessageTemplateDecision)) == 0
    with pytest.raises(LookupError):
        update_template(db, template.id, draft())


# --- rendering safely ----------------------------------------------------------------------------

# Markdown and HTML an attacker might put in a template (an administrator's account taken over) or that a
# parent might put in their own name. None of it may become live markup.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "[Sign in](javascript:alert(1))",
    "[Sign in](JaVaScRiPt:alert(1))",
    "[Sign in](  javascript:alert(1))",
    "[Sign in](java&#115;cript:alert(1))",
    '<a href="javascript:alert(1)">Sign in</a>',
    "[ref]: javascript:alert(1)\n\n[Sign in][ref]",
    "<img src=x onerror=alert(1)>",
    '<p onclick="alert(1)">Click</p>',
    '<a href="https://council.example" onmouseover="alert(1)">Link</a>',
    "![logo](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[Open](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
    "<!-- <script>alert(1)</script> -->",
    "`<script>alert(1)</script>`",
]


def assert_inert(body_html: str) -> None:
    lowered = body_html.lower()
    for tag in ("<script", "<img", "<iframe", "<svg", "<style", "<p onclick", "<!--"):
        assert tag not in lowered
    assert not re.search(r"\son\w+\s*=", lowered), "an event-handler attribute survived"
    hrefs = re.findall(r"""(?:href|src)\s*=\s*["']?([^"' >]+)""", lowered)
    assert all(href.startswith(("https:", "http:", "mailto:", "tel:")) for href in hrefs), hrefs


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_and_html_in_a_template_body_are_rendered_inert(db, payload):
    template = create_template(db, draft(body_markdown=f"Dear {{{{Forename}}}},\n\n{payload}\n"))
    message = render(template, SAMPLE_VALUES)
    assert_inert(message.body_html)
    assert "Dear Siân," in visible_text(message.body_html)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_and_html_in_a_parents_details_are_shown_as_typed(payload):
    template = draft(body_markdown="Dear {{Forename}} {{Surname}},\n\nWe have your application.")
    message = render(template, {"Forename": payload, "Surname": "Smith"})
    assert_inert(message.body_html)
    one_line = " ".join(payload.split())
    assert visible_text(message.body_html) == f"Dear {one_line} Smith, We have your application."
    assert message.body_text == f"Dear {one_line} Smith,\n\nWe have your application.\n"


@pytest.mark.parametrize(
    "value",
    [
        "**bold** _italic_ `code`",
        "# Heading",
        "\n\n# Heading on its own line",
        "1. Sam",
        "- Sam",
        "> quoted",
        "===",
        "| a | b |\n|---|---|",
        "    indented code",
        "Smith & Sons &amp; &lt;b&gt;",
        "back\\slash\\*",
        "https://evil.example",
        "<https://evil.example>",
    ],
)
def test_a_value_cannot_add_formatting_or_structure(value):
    message = render(draft(body_markdown="Dear\n{{Forename}}"), {"Forename": value})
    body = message.body_html
    assert body.startswith('<p class="govuk-body">') and body.count("<") == 2, body  # one paragraph, no markup
    assert visible_text(body) == "Dear " + " ".join(value.split())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40))
def test_any_value_reads_exactly_as_typed_once_rendered(value):
    message = render(draft(body_markdown="Name: {{Surname}}"), {"Surname": value})
    expected = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", value).split())
    assert visible_text(message.body_html) == f"Name: {expected}".strip()
    assert message.body_text == f"Name: {expected}".strip() + "\n"
    assert "<" not in message.body_html.removeprefix('<p class="govuk-body">').removesuffix("</p>")


def test_a_subject_stays_on_one_line_and_within_the_length_a_message_can_hold():
    message = render(draft(subject="Hello {{Forename}}"), {"Forename": "Sam\r\nBcc: victim@example.com"})
    assert message.subject == "Hello Sam Bcc: victim@example.com"
    long = render(draft(subject="{{Forename}} {{Surname}}"), {"Forename": "A" * 150, "Surname": "B" * 150})
    assert len(long.subject) == 200 and long.subject.endswith("B…")


def test_text_that_only_looks_like_a_placeholder_is_kept_as_written_when_rendering():
    # Saved before a placeholder was renamed, say: the caseworker sees it and can edit it out.
    stored = draft(subject="About {{Firstname}}", body_markdown="Dear {{Firstname}} {{Surname}}")
    message = render(stored, {"Surname": "Smith"})
    assert message.subject == "About {{Firstname}}"
    assert message.body_text == "Dear {{Firstname}} Smith\n"


def test_the_plain_text_part_keeps_the_words_and_link_addresses():
    message = compose_message(
        "Approved",
        "## What happens next\n\n* Give [your provider](https://council.example/providers) the code\n"
        "* Read <https://council.example>\n\nMary\\-Jane &amp; Sam",
    )
    assert message.body_text == (
        "## What happens next\n\n* Give your provider (https://council.example/providers) the code\n"
        "* Read <https://council.example>\n\nMary-Jane & Sam\n"
    )
    assert '<h2 class="govuk-heading-m">What happens next</h2>' in message.body_html
    assert '<a class="govuk-link" href="https://council.example/providers">your provider</a>' in message.body_html


def test_a_caseworkers_edits_to_the_rendered_text_are_what_is_sent():
    rendered = render(draft(), {"Forename": "Siân", "Surname": "O'Neill"})
    edited = compose_message(rendered.subject, rendered.body_markdown + "\nWe need your payslips.\n")
    assert (
        visible_text(edited.body_html)
        == "Dear Siân O'Neill, We cannot approve your application. We need your payslips."
    )


def test_a_preview_fills_in_the_sample_values():
    message = preview(draft(subject="For {{ChildName}}", body_markdown="Dear {{Title}} {{Forename}} {{Surname}}"))
    assert message.subject == "For Zoë O'Neill"
    assert visible_text(message.body_html) == "Dear Ms Siân O'Neill"


def test_a_preview_refuses_a_template_with_a_placeholder_problem():
    with pytest.raises(TemplateError) as refused:
        preview(draft(subject="For {{Child}}"))
    assert messages(refused.value.problems) == [
        ("subject", "{{Child}} is not a placeholder you can use. Use one of: " + ALL_TOKENS)
    ]


def test_decisions_have_labels_for_people():
    assert [d.label for d in Decision] == ["Approve", "Reject", "Request more information"]
    assert [d.value for d in Decision] == ["approve", "reject", "request_more_information"]


# --- shipped defaults ----------------------------------------------------------------------------


def test_the_migration_ships_a_valid_template_for_each_decision(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    migrate.upgrade(engine)
    with Session(engine) as session:
        templates = list_templates(session)
        assert [(t.name, t.shipped_key, t.decisions) for t in templates] == [
            ("Approved", "approve", (Decision.APPROVE,)),
            ("More information needed", "request_more_information", (Decision.REQUEST_MORE_INFORMATION,)),
            ("Not approved", "reject", (Decision.REJECT,)),
        ]
        for template in templates:
            assert (
                check_template(
                    TemplateDraft(template.name, template.decisions, template.subject, template.body_markdown)
                )
                == []
            )
            message = render(template, SAMPLE_VALUES)
            assert "{{" not in message.subject + message.body_html + message.body_text
            assert "2YO-7K3M-Q9TD" in message.subject
            assert message.body_text.startswith("Dear Siân O'Neill,\n")
        approved = render(templates[0], SAMPLE_VALUES)
        assert "Zoë O'Neill can have a funded place from 1 April 2027." in approved.body_text
        # Created without explicit ids, so a council's first template gets the next one.
        template = create_template(session, draft())
        assert template.id == max(t.id for t in templates) + 1
    engine.dispose()
