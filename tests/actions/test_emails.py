"""actions/emails.py: each email in its recipient's language and the action's zone, saying what it
must and nothing it must not: the signup emails, the reminder, the update after a change."""

import icalendar
import pytest
from django.core import mail

from actions import services
from actions.models import Action, Signup
from tests.actions.clock import HOUR, START, dispatch_at, reminder_mail
from tests.factories import ActionFactory, CityFactory, ConfirmedSignupFactory, SignupFactory, local
from tests.pages import ResourceLinks, read, third_party

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    """Two seats, and a meeting link that only confirmed volunteers see."""
    return ActionFactory(capacity=2, online_url="https://meet.example.org/room-42")


@pytest.mark.parametrize("kind", ["confirm", "existing", "promoted", "cancelled"])
def test_every_spanish_email_is_all_spanish(action, kind):
    from actions.emails import signup_email
    from tests.pages import english_ui_on

    signup = SignupFactory(action=action, language="es", status="confirmed" if kind == "promoted" else "pending")
    message = signup_email(signup, kind)
    html = message.alternatives[0][0]
    assert english_ui_on(message.subject + " " + message.body) == []
    assert read(html)[0] == "es" and english_ui_on(read(html)[1]) == []


def test_no_email_loads_anything_from_another_host(django_capture_on_commit_callbacks):
    from django.core import mail

    from actions import services
    from actions.emails import reminder_email, signup_email
    from actions.models import Reminder
    from tests.factories import ConfirmedSignupFactory

    signup = ConfirmedSignupFactory(action=ActionFactory(online_url="https://meet.example.org/x"))
    reminder = Reminder(signup=signup, minutes_before=120, action_starts_at=signup.action.starts_at)
    messages = [signup_email(signup, kind) for kind in ("confirm", "existing", "promoted", "cancelled")]
    messages.append(reminder_email(reminder))
    with django_capture_on_commit_callbacks(execute=True):
        signup.action.venue = "Plaza"
        services.action_save(action=signup.action)
    messages += mail.outbox
    for message in messages:
        parser = ResourceLinks()
        parser.feed(message.alternatives[0][0])
        assert [url for url in parser.urls if third_party(url)] == [], message.subject


def test_the_reminder_is_in_the_volunteers_language_with_the_place_links_and_a_calendar_file(vigil):
    english = ConfirmedSignupFactory(action=vigil, language="en")
    dispatch_at(START - 24 * HOUR)
    (message,) = reminder_mail()
    assert message.subject == "Reminder: Vigil in Tapachula, tomorrow 6:00 PM CST"
    assert "May 20, 2027, 6:00 PM CST" in message.body
    assert "Parque Central, Av. Central 1, Tapachula" in message.body
    assert "http://127.0.0.1:8000/en/signups/manage/" in message.body
    html, _type = message.alternatives[0]
    assert '<html lang="en">' in html and "Parque Central" in html
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("action.ics", "text/calendar")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == START and event.decoded("dtend") == START + 2 * HOUR
    assert str(event["summary"]) == "Vigil in Tapachula"
    assert str(event["location"]) == "Parque Central, Av. Central 1, Tapachula, Chiapas"
    assert english.email not in str(content)


def test_the_online_meeting_link_goes_only_to_confirmed_volunteers(vigil):
    Action.objects.filter(pk=vigil.pk).update(city=None, online_url="https://meet.example.org/vigil")
    ConfirmedSignupFactory(action=vigil, language="en")
    dispatch_at(START - HOUR)
    (message,) = reminder_mail()
    assert "https://meet.example.org/vigil" in message.body
    event = icalendar.Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")[0]
    assert str(event["location"]) == "https://meet.example.org/vigil"


def test_subjects_carry_the_title_as_typed_and_the_html_escapes_it(vigil):
    Action.objects.filter(pk=vigil.pk).update(title_es='Vigilia "A & B" <c>')
    ConfirmedSignupFactory(action=vigil)
    dispatch_at(START - HOUR)
    (message,) = reminder_mail()
    assert message.subject == 'Recordatorio: Vigilia "A & B" <c>, hoy 18:00 CST'
    html, _type = message.alternatives[0]
    assert "Vigilia &quot;A &amp; B&quot; &lt;c&gt;" in html and "<c>" not in html


def test_a_waitlisted_volunteer_is_not_told_of_a_meeting_link(vigil, django_capture_on_commit_callbacks):
    SignupFactory(action=vigil, status=Signup.Status.WAITLISTED, confirmed_at=START - 48 * HOUR, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        vigil.online_url, vigil.starts_at = "https://meet.example.org/x", START + HOUR
        assert services.action_save(action=vigil) == ["time", "meeting_link"]
    (message,) = mail.outbox
    assert "changed this action: the time." in message.body
    assert "meet.example.org" not in message.body + message.alternatives[0][0] + str(message.attachments[0][1])


def test_announcing_the_time_shows_no_made_up_previous_time(vigil, django_capture_on_commit_callbacks):
    Action.objects.filter(pk=vigil.pk).update(time_to_be_announced=True)
    vigil.refresh_from_db()
    ConfirmedSignupFactory(action=vigil, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        vigil.time_to_be_announced = False
        assert services.action_save(action=vigil) == ["time"]
    (message,) = mail.outbox
    assert "Previous time" not in message.body


def test_a_new_end_shows_the_previous_start_and_end(vigil, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory(action=vigil, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        vigil.ends_at = START + 3 * HOUR
        services.action_save(action=vigil)
    assert "Previous time: May 20, 2027, 6:00 PM CST – 8:00 PM CST" in mail.outbox[0].body


def test_the_previous_time_is_shown_as_volunteers_were_told_it_in_the_old_zone(
    vigil, django_capture_on_commit_callbacks
):
    ConfirmedSignupFactory(action=vigil, language="en")
    tijuana = CityFactory(name_en="Tijuana", time_zone="America/Tijuana")
    with django_capture_on_commit_callbacks(execute=True):
        vigil.city = tijuana
        vigil.starts_at, vigil.ends_at = local(2027, 5, 20, 18, 0, "America/Tijuana"), START + 4 * HOUR
        assert services.action_save(action=vigil) == ["time", "place"]
    assert "Previous time: May 20, 2027, 6:00 PM CST – 8:00 PM CST" in mail.outbox[0].body
