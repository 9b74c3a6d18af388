"""Dates and money written the GOV.UK way, without depending on the process locale."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_date(day: date) -> str:
    """``1 September 2027`` (GOV.UK style: no leading zero, month in full)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_money(amount: Decimal) -> str:
    """``£15,400`` for whole pounds, ``£1,283.33`` otherwise (GOV.UK style: no ``.00``)."""
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"
