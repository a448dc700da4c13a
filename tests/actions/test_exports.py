"""actions/exports.py: the signups CSV, as the admin's export action gives it, safe to open in a
spreadsheet."""

import pytest

from tests.admin_forms import admin_url
from tests.factories import ActionFactory, SignupFactory

pytestmark = pytest.mark.django_db


def test_signup_admin_marks_attendance_and_exports_neutralized_csv(admin_client):
    from actions import services
    from actions.models import Signup

    action = ActionFactory(title_en="Vigil")
    evil = services.signup_confirm(
        signup=SignupFactory(action=action, name='=HYPERLINK("http://x")', phone="+525512345678")
    )
    services.signup_confirm(signup=SignupFactory(action=action, name="-2+3"))
    changelist = admin_url(Signup, "changelist")
    admin_client.post(changelist, {"action": "mark_attended", "_selected_action": [evil.pk]})
    assert Signup.objects.get(pk=evil.pk).attended_at is not None
    response = admin_client.post(
        changelist, {"action": "export_csv", "_selected_action": list(Signup.objects.values_list("pk", flat=True))}
    )
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in body and "'-2+3" in body
    assert ",+525512345678," in body  # a phone number as stored is only a number to a spreadsheet
    assert body.startswith("\ufeff")
    assert "\n=" not in body and ",=" not in body
