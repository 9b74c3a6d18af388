"""The language switch on every page: choose English or Cymraeg, then go back to the page.

Signed in, the choice is stored on the account, so the form carries the CSRF token and it is checked as
on every other form. Signed out, the choice only goes into the session: the switch carries no token then,
because a token would start a session (a database row) for every page anyone reads, and error pages
could not render without the database. Cross-site requests are refused instead, from the headers that
browsers set on every form post (Sec-Fetch-Site, or Origin), so another site cannot switch a visitor's
language, nor start a session that would replace theirs.
"""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user

from portal import db
from portal.extensions import SUPPORTED_LANGUAGES, csrf
from portal.languages import switch_language
from portal.redirects import safe_next_url
from portal.security import is_cross_site

from . import bp


@bp.post("/language")
@csrf.exempt  # checked below: with the token when signed in, by origin when not
def change_language():
    if current_user.is_authenticated:
        csrf.protect()
    elif is_cross_site(request):
        abort(403)
    language = request.form.get("language", "")
    if language not in SUPPORTED_LANGUAGES:
        abort(400)
    switch_language(db.session(), current_user if current_user.is_authenticated else None, language)
    # Back to the page the switch was on; anything but a path on this site goes to the home page instead.
    return redirect(safe_next_url(request.form.get("next")) or url_for("citizen.home"))
