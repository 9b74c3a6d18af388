"""Data types: reading raw HTML form fields into typed answers, checking restrictions, storing and showing.

Raw field names (what the portal's templates must use, and what ``parse_page`` reads):

* most types: one field named by the question code (``parent_first_name``);
* date: three fields ``<code>-day``, ``<code>-month``, ``<code>-year`` (GOV.UK date input);
* multiple choice: the question code, with a list of the ticked option values;
* yes/no: the question code with ``"yes"`` or ``"no"`` (absent or ``""`` = not answered);
* file and image: the question code holding the upload reference the portal made when it stored the file,
  a mapping ``{"upload_id": str, "filename": str, "content_type"?: str, "size"?: int}``.

A raw value may be a string or a list of strings (Werkzeug's ``to_dict(flat=False)``); anything else is
treated as an empty answer. Nothing here raises on any input: malformed input is an error value.

Typed answers: text types -> ``str`` (postcode and NI number normalised), integer -> ``int``, decimal ->
``Decimal``, yes/no -> ``bool``, date -> ``datetime.date``, choice -> ``str``, multiple choice ->
``list[str]``, file/image -> ``dict`` (the upload reference). Unanswered -> ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from formsengine.errors import (
    FILE_TYPES,
    MISSING_DATE_PARTS,
    NO,
    ONE_FILE_TYPE,
    YES,
    ErrorCode,
    FieldError,
    Wording,
    wording_for,
)
from formsengine.formats import (
    format_ni_number,
    normalise_email,
    normalise_ni_number,
    normalise_phone,
    normalise_postcode,
)
from formsengine.model import DataType, Question

# Caps when a question sets no max_length: they protect storage, not the person, so they are generous.
DEFAULT_MAX_LENGTH = {DataType.TEXT: 1_000, DataType.MEMO: 20_000}
IMAGE_FILE_TYPES = ("jpg", "jpeg", "gif", "bmp", "png")  # what the Capita One handbook allows for images
MAX_FILENAME_LENGTH = 255

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_LINE_BREAK_RE = re.compile(r"[\r\n\t]+")
_INTEGER_RE = re.compile(r"-?[0-9]{1,18}")
_DECIMAL_RE = re.compile(r"-?(?:[0-9]{1,18}(?:\.[0-9]{0,10})?|\.[0-9]{1,10})")
_DIGITS_RE = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Issue:
    """An error before it is worded: the code, the input to link to and the template values."""

    code: ErrorCode
    field: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_error(self, question: Question, group: str = "", item: int | None = None) -> FieldError:
        values = {"name": question.name_in_errors, "Label": question.label_in_errors, **self.params}
        wording = wording_for(self.code, **values)
        return FieldError(
            field=self.field,
            question=question.code,
            code=self.code,
            message=wording.render(),
            group=group,
            item=item,
            wording=wording,
        )


# --- reading raw fields --------------------------------------------------------------------------------


def raw_string(raw: Mapping[str, Any], name: str, *, multiline: bool = False) -> str:
    """The field's text: the first string of a list, control characters and NUL bytes removed."""
    try:
        value = raw.get(name)
    except Exception:  # a hostile Mapping; treat as absent
        return ""
    if isinstance(value, (list, tuple)):
        value = next((v for v in value if isinstance(v, str)), "")
    if not isinstance(value, str):
        return ""
    value = _CONTROL_RE.sub("", value)
    if not multiline:
        value = _LINE_BREAK_RE.sub(" ", value)
    return value.strip()


def raw_list(raw: Mapping[str, Any], name: str) -> list[str]:
    try:
        value = raw.get(name)
    except Exception:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    out: list[str] = []
    for item in value[:1000]:
        if isinstance(item, str):
            cleaned = _CONTROL_RE.sub("", item).strip()
            if cleaned and cleaned not in out:
                out.append(cleaned)
    return out


def field_ids(question: Question) -> tuple[str, ...]:
    """The names of the HTML inputs for ``question``."""
    if question.type is DataType.DATE:
        return (f"{question.code}-day", f"{question.code}-month", f"{question.code}-year")
    return (question.code,)


def parse_raw(question: Question, raw: Mapping[str, Any]) -> tuple[Any, Issue | None]:
    """Read ``question``'s raw fields into a typed value (``None`` when unanswered) and a format issue."""
    t = question.type
    code = question.code
    if t is DataType.DATE:
        return _parse_date(question, raw)
    if t is DataType.MULTIPLE_CHOICE:
        chosen = raw_list(raw, code)
        if not chosen:
            return None, None
        valid = {o.value for o in question.options}
        if any(value not in valid for value in chosen):
            return None, Issue(ErrorCode.INVALID_CHOICE, code)
        return [o.value for o in question.options if o.value in chosen], None
    if t in (DataType.FILE, DataType.IMAGE):
        try:
            value = raw.get(code)
        except Exception:
            value = None
        if isinstance(value, (list, tuple)) and len(value) == 1:
            value = value[0]
        if value is None or value == "" or value == []:
            return None, None
        upload = _upload(value)
        if upload is None:
            return None, Issue(ErrorCode.FILE_INVALID, code)
        return upload, None
    text = raw_string(raw, code, multiline=t is DataType.MEMO)
    if not text:
        return None, None
    if t in (DataType.TEXT, DataType.MEMO):
        return text, None
    if t is DataType.YES_NO:
        lowered = text.lower()
        if lowered in ("yes", "true"):
            return True, None
        if lowered in ("no", "false"):
            return False, None
        return None, Issue(ErrorCode.INVALID_CHOICE, code)
    if t is DataType.CHOICE:
        if question.option(text) is None:
            return None, Issue(ErrorCode.INVALID_CHOICE, code)
        return text, None
    if t is DataType.INTEGER:
        number = text.replace(",", "").replace(" ", "")
        if _INTEGER_RE.fullmatch(number):
            return int(number), None
        if _DECIMAL_RE.fullmatch(number):
            return None, Issue(ErrorCode.NOT_A_WHOLE_NUMBER, code)
        return None, Issue(ErrorCode.NOT_A_NUMBER, code)
    if t is DataType.DECIMAL:
        number = text.replace(",", "").replace(" ", "")
        if question.prefix and number.startswith(question.prefix):
            number = number[len(question.prefix) :]
        if not _DECIMAL_RE.fullmatch(number):
            return None, Issue(ErrorCode.NOT_A_NUMBER, code)
        try:
            return Decimal(number), None
        except (InvalidOperation, ValueError):
            return None, Issue(ErrorCode.NOT_A_NUMBER, code)
    normalisers = {
        DataType.EMAIL: (normalise_email, ErrorCode.EMAIL_FORMAT),
        DataType.PHONE: (normalise_phone, ErrorCode.PHONE_FORMAT),
        DataType.POSTCODE: (normalise_postcode, ErrorCode.POSTCODE_FORMAT),
        DataType.NI_NUMBER: (normalise_ni_number, ErrorCode.NI_NUMBER_FORMAT),
    }
    normalise, error = normalisers[t]
    value = normalise(text)
    if value is None:
        return None, Issue(error, code)
    return value, None


def _parse_date(question: Question, raw: Mapping[str, Any]) -> tuple[Any, Issue | None]:
    code = question.code
    parts = {name: raw_string(raw, f"{code}-{name}") for name in ("day", "month", "year")}
    if not any(parts.values()):
        return None, None
    missing = [name for name, value in parts.items() if not value]
    if missing:
        parts = Wording.of(MISSING_DATE_PARTS[tuple(missing)])
        return None, Issue(ErrorCode.DATE_MISSING_PARTS, f"{code}-{missing[0]}", {"parts": parts})
    for name in ("day", "month", "year"):
        value = parts[name]
        if not _DIGITS_RE.fullmatch(value) or len(value) > (4 if name == "year" else 2):
            if name == "year" and _DIGITS_RE.fullmatch(value):
                return None, Issue(ErrorCode.DATE_YEAR_FORMAT, f"{code}-year")
            return None, Issue(ErrorCode.DATE_NOT_REAL, f"{code}-{name}")
    if len(parts["year"]) != 4:
        return None, Issue(ErrorCode.DATE_YEAR_FORMAT, f"{code}-year")
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])), None
    except ValueError:
        field_id = f"{code}-month" if not 1 <= int(parts["month"]) <= 12 else f"{code}-day"
        return None, Issue(ErrorCode.DATE_NOT_REAL, field_id)


def _upload(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        return None
    upload_id = value.get("upload_id")
    filename = value.get("filename")
    if not isinstance(upload_id, str) or not 0 < len(upload_id) <= 200:
        return None
    if not isinstance(filename, str) or not 0 < len(filename) <= MAX_FILENAME_LENGTH:
        return None
    if _CONTROL_RE.search(upload_id) or _CONTROL_RE.search(filename):
        return None
    out: dict[str, Any] = {"upload_id": upload_id, "filename": filename}
    content_type = value.get("content_type")
    if isinstance(content_type, str) and 0 < len(content_type) <= 200 and not _CONTROL_RE.search(content_type):
        out["content_type"] = content_type
    size = value.get("size")
    if isinstance(size, int) and not isinstance(size, bool) and size >= 0:
        out["size"] = size
    return out


# --- checking typed values -----------------------------------------------------------------------------


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def format_number(value: Decimal | int, question: Question | None = None) -> str:
    whole = not isinstance(value, Decimal) or value == value.to_integral_value()
    text = f"{int(value):,}" if whole else f"{value:,f}"
    if question is not None:
        text = f"{question.prefix}{text}{(' ' + question.suffix) if question.suffix else ''}"
    return text


def _valid_type(question: Question, value: Any) -> bool:
    t = question.type
    if t in (
        DataType.TEXT,
        DataType.MEMO,
        DataType.EMAIL,
        DataType.PHONE,
        DataType.POSTCODE,
        DataType.NI_NUMBER,
        DataType.CHOICE,
    ):
        return isinstance(value, str)
    if t is DataType.INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    if t is DataType.DECIMAL:
        return (isinstance(value, Decimal) and value.is_finite()) or (
            isinstance(value, int) and not isinstance(value, bool)
        )
    if t is DataType.YES_NO:
        return isinstance(value, bool)
    if t is DataType.DATE:
        return isinstance(value, date) and not isinstance(value, datetime)
    if t is DataType.MULTIPLE_CHOICE:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, Mapping)


def check_value(question: Question, value: Any, today: date) -> Issue | None:
    """The first restriction ``value`` breaks (``None`` = unanswered), or ``None`` when it is acceptable."""
    r = question.restrictions
    t = question.type
    first = question.first_field_id
    if value is None or value == [] or value == "":
        if not r.mandatory:
            return None
        if t in (DataType.CHOICE, DataType.MULTIPLE_CHOICE, DataType.YES_NO):
            return Issue(ErrorCode.REQUIRED_CHOICE, first)
        if t in (DataType.FILE, DataType.IMAGE):
            return Issue(ErrorCode.REQUIRED_FILE, first)
        return Issue(ErrorCode.REQUIRED, first)
    if not _valid_type(question, value):
        return Issue(ErrorCode.INVALID_ANSWER, first)
    if isinstance(value, str):
        limit = r.max_length or DEFAULT_MAX_LENGTH.get(t)
        if limit is not None and len(value) > limit:
            return Issue(ErrorCode.TOO_LONG, first, {"max": f"{limit:,}"})
        if _CONTROL_RE.search(value):
            return Issue(ErrorCode.INVALID_ANSWER, first)
        if t is DataType.CHOICE and question.option(value) is None:
            return Issue(ErrorCode.INVALID_CHOICE, first)
        if t is DataType.EMAIL and normalise_email(value) is None:
            return Issue(ErrorCode.EMAIL_FORMAT, first)
        if t is DataType.PHONE and normalise_phone(value) is None:
            return Issue(ErrorCode.PHONE_FORMAT, first)
        if t is DataType.POSTCODE and normalise_postcode(value) != value:
            return Issue(ErrorCode.POSTCODE_FORMAT, first)
        if t is DataType.NI_NUMBER and normalise_ni_number(value) != value:
            return Issue(ErrorCode.NI_NUMBER_FORMAT, first)
        if r.pattern is not None and re.fullmatch(r.pattern.regex, value) is None:
            return Issue(ErrorCode.PATTERN_MISMATCH, first, {"message": r.pattern.message})
        return None
    if t in (DataType.INTEGER, DataType.DECIMAL):
        number = Decimal(value)
        if r.min_value is not None and number < r.min_value:
            return Issue(ErrorCode.TOO_SMALL, first, {"min": format_number(r.min_value, question)})
        if r.max_value is not None and number > r.max_value:
            return Issue(ErrorCode.TOO_LARGE, first, {"max": format_number(r.max_value, question)})
        if r.decimal_places is not None and isinstance(value, Decimal):
            exponent = value.as_tuple().exponent
            if isinstance(exponent, int) and -exponent > r.decimal_places:
                return Issue(ErrorCode.TOO_MANY_DECIMAL_PLACES, first, {"places": r.decimal_places})
        return None
    if t is DataType.DATE:
        if r.in_the_past and not value < today:
            return Issue(ErrorCode.DATE_NOT_IN_PAST, first)
        if r.in_the_future and not value > today:
            return Issue(ErrorCode.DATE_NOT_IN_FUTURE, first)
        if r.before is not None and not value < r.before:
            return Issue(ErrorCode.DATE_NOT_BEFORE, first, {"date": r.before})
        if r.after is not None and not value > r.after:
            return Issue(ErrorCode.DATE_NOT_AFTER, first, {"date": r.after})
        if r.at_least_years_ago is not None and value > _years_before(today, r.at_least_years_ago):
            return Issue(ErrorCode.DATE_TOO_RECENT, first, {"years": r.at_least_years_ago})
        if r.at_most_years_ago is not None and value < _years_before(today, r.at_most_years_ago):
            return Issue(ErrorCode.DATE_TOO_LONG_AGO, first, {"years": r.at_most_years_ago})
        return None
    if t is DataType.MULTIPLE_CHOICE:
        if any(question.option(v) is None for v in value):
            return Issue(ErrorCode.INVALID_CHOICE, first)
        return None
    if t in (DataType.FILE, DataType.IMAGE):
        upload = _upload(value)
        if upload is None:
            return Issue(ErrorCode.FILE_INVALID, first)
        allowed = r.file_types or (IMAGE_FILE_TYPES if t is DataType.IMAGE else ())
        if allowed:
            extension = upload["filename"].rpartition(".")[2].lower() if "." in upload["filename"] else ""
            if extension not in allowed:
                names = [a.upper() for a in allowed]
                if len(names) == 1:
                    types = Wording.of(ONE_FILE_TYPE, type=names[0])
                else:
                    types = Wording.of(FILE_TYPES, types=", ".join(names[:-1]), last=names[-1])
                return Issue(ErrorCode.FILE_TYPE, first, {"types": types})
        return None
    return None


# --- storing and showing -------------------------------------------------------------------------------


def value_to_json(question: Question, value: Any) -> Any:
    """A typed answer as a JSON-safe value (dates ISO, decimals as strings to keep every digit)."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")  # never exponent notation ('1E+5'), which storage would not read back
    if isinstance(value, list):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


_INVALID = object()


def value_from_json(question: Question, data: Any) -> Any:
    """A stored (or typed) answer back to its typed value; ``_INVALID`` when it cannot be one."""
    if data is None:
        return None
    t = question.type
    try:
        if t is DataType.DATE:
            if isinstance(data, datetime):
                return _INVALID
            if isinstance(data, date):
                return data
            if isinstance(data, str) and len(data) == 10:
                return date.fromisoformat(data)
            return _INVALID
        if t is DataType.DECIMAL:
            if isinstance(data, bool):
                return _INVALID
            if isinstance(data, Decimal):
                # The same limits as typed input (18 digits, 10 places), so every value stored reads back.
                return data if data.is_finite() and _DECIMAL_RE.fullmatch(format(data, "f")) else _INVALID
            if isinstance(data, int):
                return Decimal(data)
            if isinstance(data, str) and _DECIMAL_RE.fullmatch(data):
                return Decimal(data)
            if isinstance(data, float) and data == data and abs(data) < 1e18:
                return Decimal(str(data))
            return _INVALID
        if t is DataType.INTEGER:
            if isinstance(data, int) and not isinstance(data, bool):
                return data
            if isinstance(data, str) and _INTEGER_RE.fullmatch(data):
                return int(data)
            return _INVALID
        if t is DataType.YES_NO:
            return data if isinstance(data, bool) else _INVALID
        if t is DataType.MULTIPLE_CHOICE:
            if isinstance(data, list) and all(isinstance(v, str) for v in data):
                return list(data)
            return _INVALID
        if t in (DataType.FILE, DataType.IMAGE):
            upload = _upload(data)
            return _INVALID if upload is None else upload
        return data if isinstance(data, str) else _INVALID
    except (ValueError, InvalidOperation, TypeError, OverflowError):
        return _INVALID


def display_lines(
    question: Question, value: Any, *, wording: Callable[[Wording], str] = Wording.render
) -> tuple[str, ...]:
    """How an answer reads on check-your-answers and the caseworker's view.

    The engine's own words (yes or no) and dates go through ``wording``, so the portal can show them in the
    reader's language; the form's own labels are shown as written.
    """
    if value is None or value == [] or value == "":
        return ()
    t = question.type
    if t is DataType.YES_NO:
        return (wording(Wording.of(YES if value else NO)),)
    if t is DataType.DATE and isinstance(value, date):
        return (wording(Wording.of("{date}", date=value)),)
    if t is DataType.CHOICE:
        option = question.option(value) if isinstance(value, str) else None
        return (option.label if option else str(value),)
    if t is DataType.MULTIPLE_CHOICE and isinstance(value, list):
        return tuple((question.option(v).label if question.option(v) else str(v)) for v in value)
    if t in (DataType.INTEGER, DataType.DECIMAL) and isinstance(value, (int, Decimal)):
        return (format_number(value, question),)
    if t is DataType.NI_NUMBER and isinstance(value, str):
        return (format_ni_number(value),)
    if t in (DataType.FILE, DataType.IMAGE) and isinstance(value, Mapping):
        return (str(value.get("filename", "")),)
    if t is DataType.MEMO and isinstance(value, str):
        return tuple(value.splitlines())
    return (str(value),)


def raw_from_value(question: Question, value: Any) -> dict[str, Any]:
    """Raw fields that would produce ``value``: to fill a page's inputs from saved answers."""
    code = question.code
    if value is None:
        return {}
    t = question.type
    if t is DataType.DATE and isinstance(value, date):
        return {
            f"{code}-day": str(value.day),
            f"{code}-month": str(value.month),
            f"{code}-year": str(value.year),
        }
    if t is DataType.YES_NO:
        return {code: "yes" if value else "no"}
    if t is DataType.MULTIPLE_CHOICE:
        return {code: list(value)}
    if t is DataType.NI_NUMBER and isinstance(value, str):
        return {code: format_ni_number(value)}
    if t in (DataType.FILE, DataType.IMAGE):
        return {code: value}
    return {code: str(value)}
