"""Guards other parts of the portal put on their views: areas that need two-step verification.

Staff areas always need it (admin/ applies `two_step_refusal` to every request); an application area
needs it when an administrator marked its form as needing it (site settings; the default is
TWO_STEP_REQUIRED_FORMS) (`two_step_required_for_form`).
The refusal is a page with the council's wording and a way to turn 2SV on, never a bare 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, render_template
from flask_login import current_user

from . import db
from .languages import current_language
from .services import site_settings
from .services.texts import message


def two_step_refusal() -> Any | None:
    """None when the signed-in person may enter a 2SV area, else the response that turns them away."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    if current_user.has_two_step:
        return None
    refusal = message(db.session(), "two_step_required", current_language())
    return render_template("two_step_required.html", message=refusal), 403


def requires_two_step_verification(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a view that only people with two-step verification turned on may open."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        refusal = two_step_refusal()
        return refusal if refusal is not None else view(*args, **kwargs)

    return guarded


def two_step_required_for_form(form_code: str) -> bool:
    """Whether applying with this form needs 2SV (chosen per form in the site settings)."""
    return form_code in site_settings.current().two_step_required_forms
