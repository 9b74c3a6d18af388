"""The shipped definitions load (with the real outcome checks) and can be walked page by page."""

from datetime import date

import pytest

from formsengine import (
    ErrorCode,
    Outcome,
    drop_hidden_answers,
    evaluate_outcomes,
    from_json,
    next_group,
    parse_declarations,
    parse_page,
    summary,
    to_json,
    validate_form,
)

TODAY = date(2026, 11, 23)
UPLOAD = {"upload_id": "up-1", "filename": "letter.pdf", "content_type": "application/pdf"}


def dmy(prefix, day):
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def walk(form, pages, *, items=None):
    """Fill each visible page from ``pages`` (group code -> raw fields) like a browser would; return the
    answers and the pages visited. ``items`` gives raw fields for each item of a repeating group."""
    answers, visited = {}, []
    group = next_group(form, None, answers, TODAY)
    while group is not None:
        visited.append(group.code)
        if group.repeating:
            answers[group.code] = []
            for raw in (items or {}).get(group.code, []):
                result = parse_page(form, group.code, raw, answers, today=TODAY)
                assert result.is_valid, result.errors
                answers[group.code].append(result.values)
        else:
            result = parse_page(form, group.code, pages.get(group.code, {}), answers, today=TODAY)
            assert result.is_valid, (group.code, result.errors)
            answers.update(result.values)
        answers = drop_hidden_answers(form, answers, TODAY)
        group = next_group(form, group.code, answers, TODAY)
    return answers, visited


TWO_YEAR_OLD_COMMON = {
    "parent": {
        "parent_title": "ms",
        "parent_first_name": "Ada",
        "parent_last_name": "Lovelace",
        **dmy("parent_date_of_birth", date(1990, 3, 27)),
        "parent_id_type": "ni",
        "parent_ni_number": "ab 12 34 56 c",
        "relationship_to_child": "mother",
        "parental_responsibility": "yes",
    },
    "address": {
        "address_line_1": "1 High Street",
        "address_town": "Northampton",
        "address_postcode": "nn1 1de",
        "email": "ada@example.com",
        "phone": "01604 000000",
    },
    "child": {
        "child_first_name": "Byron",
        "child_last_name": "Lovelace",
        **dmy("child_date_of_birth", date(2024, 10, 1)),
        "child_gender": "male",
        "child_first_language": "English",
    },
}


def test_all_four_forms_load_with_the_real_outcome_checks(shipped_forms):
    assert sorted(shipped_forms) == [
        "send_request_for_assessment",
        "thirty_hours_check",
        "thirty_hours_foster_carer",
        "two_year_old_funding",
    ]
    assert shipped_forms["two_year_old_funding"].outcome_checks == ("two_year_old_eligibility",)
    assert shipped_forms["thirty_hours_check"].outcome_checks == ("thirty_hours_code",)
    assert shipped_forms["thirty_hours_foster_carer"].outcome_checks == ("thirty_hours_code",)


def test_two_year_old_question_codes_of_the_contract(shipped_forms):
    form = shipped_forms["two_year_old_funding"]
    expected = {
        "child_date_of_birth": "date",
        "claim_route": "choice",
        "benefit": "choice",
        "universal_credit_income": "decimal",
        "tax_credits_income": "decimal",
        "nrpf_income": "decimal",
        "nrpf_in_london": "yes_no",
        "nrpf_children": "integer",
        "nrpf_savings": "decimal",
        "non_economic_reason": "choice",
        "other_council_name": "text",
        "other_council_reference": "text",
        "parent_id_type": "choice",
        "parent_ni_number": "ni_number",
        "parent_nass_number": "text",
    }
    assert {code: form.question(code).type.value for code in expected} == expected
    assert [o.value for o in form.question("claim_route").options] == ["economic", "non_economic", "other_council"]
    assert [o.value for o in form.question("benefit").options] == [
        "universal_credit",
        "tax_credits",
        "income_support",
        "income_based_jsa",
        "income_related_esa",
        "pension_credit_guarantee",
        "asylum_support",
        "nrpf",
        "wtc_run_on",
    ]
    assert [o.value for o in form.question("non_economic_reason").options] == [
        "looked_after",
        "left_care",
        "dla",
        "ehc_plan",
    ]
    assert [o.value for o in form.question("parent_id_type").options] == ["ni", "nass"]
    assert [d.code for d in form.declarations] == ["truthful", "checks", "changes"]


def test_two_year_old_universal_credit_route(shipped_forms):
    form = shipped_forms["two_year_old_funding"]
    pages = {
        **TWO_YEAR_OLD_COMMON,
        "claim": {"claim_route": "economic"},
        "benefits": {"benefit": "universal_credit"},
        "income": {"universal_credit_income": "£12,000"},
    }
    answers, visited = walk(form, pages)
    assert visited == ["parent", "address", "child", "claim", "benefits", "income"]
    assert answers["universal_credit_income"] == 12000
    assert answers["parent_ni_number"] == "AB123456C"
    assert validate_form(form, answers, TODAY) == []
    outcome = evaluate_outcomes(form, answers, TODAY)["two_year_old_eligibility"]
    assert isinstance(outcome, Outcome) and outcome.result in {"eligible", "likely_eligible"}
    assert from_json(form, to_json(form, answers)) == answers


def test_two_year_old_income_question_follows_the_benefit(shipped_forms):
    form = shipped_forms["two_year_old_funding"]
    context = {"claim_route": "economic", "benefit": "nrpf"}
    result = parse_page(form, "income", {}, context, today=TODAY)
    assert [e.question for e in result.errors] == ["nrpf_income", "nrpf_in_london", "nrpf_children", "nrpf_savings"]


def test_two_year_old_nrpf_needs_evidence(shipped_forms):
    form = shipped_forms["two_year_old_funding"]
    pages = {
        **TWO_YEAR_OLD_COMMON,
        "claim": {"claim_route": "economic"},
        "benefits": {"benefit": "nrpf"},
        "income": {"nrpf_income": "20000", "nrpf_in_london": "no", "nrpf_children": "2", "nrpf_savings": "100"},
    }
    answers, visited = walk(form, pages, items={"evidence": [{"evidence_file": UPLOAD}]})
    assert visited[-2:] == ["income", "evidence"]
    assert validate_form(form, answers, TODAY) == []


@pytest.mark.parametrize(
    ("reason", "needs_evidence"), [("looked_after", False), ("left_care", True), ("dla", True), ("ehc_plan", True)]
)
def test_two_year_old_non_economic_route(shipped_forms, reason, needs_evidence):
    form = shipped_forms["two_year_old_funding"]
    pages = {
        **TWO_YEAR_OLD_COMMON,
        "claim": {"claim_route": "non_economic"},
        "circumstances": {"non_economic_reason": reason},
    }
    answers, visited = walk(form, pages)
    assert ("evidence" in visited) is needs_evidence
    errors = validate_form(form, answers, TODAY)
    if needs_evidence:
        assert [(e.code, e.message) for e in errors] == [(ErrorCode.TOO_FEW_ITEMS, "Add at least 1 document")]
    else:
        assert errors == []


def test_two_year_old_other_council_route_with_two_documents(shipped_forms):
    form = shipped_forms["two_year_old_funding"]
    pages = {
        **TWO_YEAR_OLD_COMMON,
        "claim": {"claim_route": "other_council"},
        "other_council": {"other_council_name": "West Northamptonshire", "other_council_reference": "WN-123"},
    }
    answers, visited = walk(form, pages, items={"evidence": [{"evidence_file": UPLOAD}, {"evidence_file": UPLOAD}]})
    assert visited[-2:] == ["other_council", "evidence"]
    assert len(answers["evidence"]) == 2
    assert validate_form(form, answers, TODAY) == []
    rows = [r for s in summary(form, answers, TODAY) if s.group == "evidence" for r in s.rows]
    assert [(r.item, r.display) for r in rows] == [(0, "letter.pdf"), (1, "letter.pdf")]


def test_two_year_old_nass_number_instead_of_ni(shipped_forms):
    form = shipped_forms["two_year_old_funding"]
    raw = {**TWO_YEAR_OLD_COMMON["parent"], "parent_id_type": "nass", "parent_nass_number": "0906123456"}
    result = parse_page(form, "parent", raw, today=TODAY)
    assert result.is_valid and "parent_ni_number" not in result.values
    [error] = parse_page(form, "parent", {**raw, "parent_nass_number": "0913123456"}, today=TODAY).errors
    assert error.message == "NASS number must be 9 or 10 numbers, like 0906123456"


def test_two_year_old_rules_on_the_child_page(shipped_forms):
    form = shipped_forms["two_year_old_funding"]
    answers = {"parent_date_of_birth": date(1990, 3, 27)}
    old = {**TWO_YEAR_OLD_COMMON["child"], **dmy("child_date_of_birth", date(2022, 1, 1))}
    [error] = parse_page(form, "child", old, answers, today=TODAY).errors
    assert error.message == "Your child must be under 3 to apply for 2-year-old funding"
    before_parent = {**TWO_YEAR_OLD_COMMON["child"], **dmy("child_date_of_birth", date(1980, 1, 1))}
    messages = [e.message for e in parse_page(form, "child", before_parent, answers, today=TODAY).errors]
    assert "Your child must be under 3 to apply for 2-year-old funding" in messages


def test_two_year_old_declarations(shipped_forms):
    form = shipped_forms["two_year_old_funding"]
    assert len(parse_declarations(form, {"declarations": ["truthful"]}).errors) == 2
    assert parse_declarations(form, {"declarations": ["truthful", "checks", "changes"]}).is_valid


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("50012345678", True),
        ("50112345678", True),
        ("50212345678", False),
        ("40012345678", False),
        ("5001234567", False),
        ("500 1234 5678", False),
    ],
)
def test_thirty_hours_check_code_pattern(shipped_forms, code, valid):
    form = shipped_forms["thirty_hours_check"]
    result = parse_page(form, "code", {"eligibility_code": code, "parent_ni_number": "AB123456C"}, today=TODAY)
    assert result.is_valid is valid
    if not valid:
        assert result.errors[0].message == "Enter an eligibility code that starts with 500 or 501"


def test_thirty_hours_check_walk_and_outcome(shipped_forms):
    form = shipped_forms["thirty_hours_check"]
    pages = {
        "code": {"eligibility_code": "50012345678", "parent_ni_number": "AB 12 34 56 C"},
        "child": dmy("child_date_of_birth", date(2023, 2, 1)),
    }
    answers, visited = walk(form, pages)
    assert visited == ["code", "child"]
    assert validate_form(form, answers, TODAY) == []
    outcome = evaluate_outcomes(form, answers, TODAY)["thirty_hours_code"]
    assert outcome.result == "valid"


def test_thirty_hours_foster_carer_needs_a_400_code(shipped_forms):
    form = shipped_forms["thirty_hours_foster_carer"]
    context = {"social_worker_agrees": True}
    ok = parse_page(form, "code", {"has_code": "yes", "eligibility_code": "40012345678"}, context, today=TODAY)
    assert ok.is_valid
    [error] = parse_page(
        form, "code", {"has_code": "yes", "eligibility_code": "50012345678"}, context, today=TODAY
    ).errors
    assert error.message == "Enter an eligibility code that starts with 400"


def test_thirty_hours_foster_carer_walk(shipped_forms):
    form = shipped_forms["thirty_hours_foster_carer"]
    pages = {
        "carer": {
            "carer_first_name": "Sam",
            "carer_last_name": "Carer",
            "parent_ni_number": "AB123456C",
            "email": "sam@example.com",
            "carer_in_work": "yes",
        },
        "child": {
            "child_first_name": "Lee",
            "child_last_name": "Child",
            **dmy("child_date_of_birth", date(2023, 1, 5)),
            **dmy("placement_start_date", date(2024, 6, 1)),
            "placing_council": "North Northamptonshire",
            "social_worker_agrees": "yes",
        },
        "code": {"has_code": "yes", "eligibility_code": "40012345678"},
    }
    answers, visited = walk(form, pages)
    assert visited == ["carer", "child", "code"]
    assert validate_form(form, answers, TODAY) == []
    assert evaluate_outcomes(form, answers, TODAY)["thirty_hours_code"].details.get("foster_carer") is True


def test_foster_carer_placement_cannot_be_before_birth(shipped_forms):
    form = shipped_forms["thirty_hours_foster_carer"]
    raw = {
        "child_first_name": "Lee",
        "child_last_name": "Child",
        **dmy("child_date_of_birth", date(2023, 1, 5)),
        **dmy("placement_start_date", date(2022, 6, 1)),
        "placing_council": "X",
        "social_worker_agrees": "no",
    }
    [error] = parse_page(form, "child", raw, today=TODAY).errors
    assert (error.question, error.code) == ("placement_start_date", ErrorCode.RULE_FAILED)


def test_send_request_walk_with_several_documents(shipped_forms):
    form = shipped_forms["send_request_for_assessment"]
    assert all(g.guidance for g in form.groups)
    assert form.question("needs_description").type.value == "memo"
    documents = form.group("documents")
    assert documents.repeating and [q.type.value for q in documents.questions] == ["file"]
    pages = {
        "child": {
            "child_first_name": "Kim",
            "child_last_name": "Lee",
            **dmy("child_date_of_birth", date(2016, 4, 2)),
            "child_postcode": "nn1 1de",
        },
        "requester": {
            "parent_first_name": "Jo",
            "parent_last_name": "Lee",
            "relationship_to_child": "mother",
            "email": "jo@example.com",
        },
        "education": {"attends_setting": "yes", "setting_name": "Park School", "setting_told": "yes"},
        "needs": {
            "areas_of_need": ["learning", "communication"],
            "needs_description": "Finds reading hard.\nLoud rooms.",
        },
        "professionals": {"professionals_involved": ["paediatrician"], "professionals_details": "Dr Smith"},
    }
    docs = [{"supporting_document": {"upload_id": f"u{i}", "filename": f"report{i}.pdf"}} for i in range(3)]
    answers, visited = walk(form, pages, items={"documents": docs})
    assert visited == ["child", "requester", "education", "needs", "professionals", "documents"]
    assert answers["areas_of_need"] == ["communication", "learning"]
    assert len(answers["documents"]) == 3
    assert validate_form(form, answers, TODAY) == []


def test_send_request_professional_details_only_when_some_are_involved(shipped_forms):
    form = shipped_forms["send_request_for_assessment"]
    assert "professionals_details" not in parse_page(form, "professionals", {}, today=TODAY).values
