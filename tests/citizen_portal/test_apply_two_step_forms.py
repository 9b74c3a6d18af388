"""Forms the council marks as sensitive (TWO_STEP_REQUIRED_FORMS) need two-step verification first."""

from application_helpers import load_shipped_forms, make_parent, signed_in_client

REFUSAL = "This area requires two-step verification to be enabled before you can access it."


def test_a_marked_form_refuses_a_parent_without_two_step_verification(make_app, db):
    app = make_app(TWO_STEP_REQUIRED_FORMS=("thirty_hours_check",))
    load_shipped_forms(db)
    make_parent(db)
    client = signed_in_client(app, "parent@example.com")
    refused = client.get("/apply/thirty_hours_check")
    assert refused.status_code == 403
    assert REFUSAL in refused.get_data(as_text=True)
    assert client.get("/apply/thirty_hours_check/code").status_code == 403
    assert client.get("/apply/two_year_old_funding").status_code == 200  # not marked


def test_a_marked_form_opens_once_two_step_verification_is_on(make_app, db):
    from portal.models import TwoStepMethod, User

    app = make_app(TWO_STEP_REQUIRED_FORMS=("thirty_hours_check",))
    load_shipped_forms(db)
    parent = make_parent(db)
    client = signed_in_client(app, "parent@example.com")
    user = db.get(User, parent.id)
    user.two_step_method = TwoStepMethod.EMAIL
    db.commit()
    assert client.get("/apply/thirty_hours_check").status_code == 200
