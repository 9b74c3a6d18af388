"""URL converters shared by every blueprint."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from .models.base import LARGEST_ID


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` in every route: a number too large for any id simply matches no route (404), instead of
    reaching the database and failing there with a 500."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,  # noqa: A002
                 signed: bool = False) -> None:  # fmt: skip
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=LARGEST_ID if max is None else max,
                         signed=signed)  # fmt: skip


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntegerConverter
