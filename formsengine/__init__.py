"""formsengine: council forms as data.

A form definition (YAML or JSON, checked against ``schema/form-definition.schema.json`` and then for
meaning) becomes an immutable ``Form``; pure functions of (form, answers, today) drive the pages, their
validation, check-your-answers and storage. No web framework, database or funding rules in here: the
portal calls this API, and other packages supply outcome checks through ``formsengine.outcomes``.
"""

from formsengine.errors import DefinitionError, ErrorCode, FieldError, Problem
from formsengine.loader import (
    check_definition_files,
    definition_schema,
    form_from_dict,
    load_definition_file,
    load_definition_text,
)
from formsengine.model import (
    Condition,
    DataType,
    Declaration,
    Form,
    Group,
    Option,
    Pattern,
    Question,
    Repeat,
    Restrictions,
    Rule,
)
from formsengine.outcomes import Outcome, available_checks, register
from formsengine.runtime import (
    DECLARATIONS_FIELD,
    PageResult,
    SummaryRow,
    SummarySection,
    drop_hidden_answers,
    evaluate_outcomes,
    from_json,
    next_group,
    parse_declarations,
    parse_page,
    previous_group,
    summary,
    to_json,
    validate_form,
    visible_groups,
)
from formsengine.types import field_ids, raw_from_value
from formsengine.versions import check_compatible, clone, next_version, prefill

__all__ = [
    "DECLARATIONS_FIELD",
    "Condition",
    "DataType",
    "Declaration",
    "DefinitionError",
    "ErrorCode",
    "FieldError",
    "Form",
    "Group",
    "Option",
    "Outcome",
    "PageResult",
    "Pattern",
    "Problem",
    "Question",
    "Repeat",
    "Restrictions",
    "Rule",
    "SummaryRow",
    "SummarySection",
    "available_checks",
    "check_compatible",
    "check_definition_files",
    "clone",
    "definition_schema",
    "drop_hidden_answers",
    "evaluate_outcomes",
    "field_ids",
    "form_from_dict",
    "from_json",
    "load_definition_file",
    "load_definition_text",
    "next_group",
    "next_version",
    "parse_declarations",
    "parse_page",
    "prefill",
    "previous_group",
    "raw_from_value",
    "register",
    "summary",
    "to_json",
    "validate_form",
    "visible_groups",
]
