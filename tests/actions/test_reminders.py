"""Reminders on a frozen clock: what is due, what is sent once, what a change does. Tasks run eagerly
here; tests/actions/test_reminder_delivery.py runs them through Redis and a worker."""

import datetime
import threading
from collections import Counter

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from actions import mail as outgoing
from actions import services
from actions.models import Action, Reminder, Signup
from tests.admin_forms import action_form_data
from tests.factories import ActionFactory, CityFactory, ConfirmedSignupFactory, SignupFactory, local

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
START = local(2027, 5, 20, 18, 0, "America/Mexico_City")  # Thursday, 18:00 CST (UTC-6, no DST)


@pytest.fixture
def action():
    city = CityFactory(name_en="Tapachula", name_es="Tapachula", time_zone="America/Mexico_City")
    return ActionFactory(
        city=city,
        title_en="Vigil in Tapachula",
        title_es="Vigilia en Tapachula",
        venue="Parque Central",
        address="Av. Central 1",
        starts_at=START,
        ends_at=START + 2 * HOUR,
    )


def record(signup, **fields):
    """A reminder row, 2 hours before the signup's action, as a dispatch would have made it."""
    return Reminder.objects.create(
        signup=signup, minutes_before=120, action_starts_at=signup.action.starts_at, **fields
    )


def dispatch_at(moment):
    with time_machine.travel(moment, tick=False):
        return outgoing.mail_dispatch()


def reminder_mail():
    return [m for m in mail.outbox if m.subject.startswith(("Reminder", "Recordatorio"))]


def test_the_24_hour_and_2_hour_reminders_each_go_out_once_when_due(action):
    signup = ConfirmedSignupFactory(action=action)
    dispatch_at(START - 24 * HOUR - MINUTE)
    assert reminder_mail() == []

    dispatch_at(START - 24 * HOUR)
    dispatch_at(START - 24 * HOUR + MINUTE)  # the next minute's round finds it sent
    assert [m.subject for m in reminder_mail()] == ["Recordatorio: Vigilia en Tapachula, mañana 18:00 CST"]

    dispatch_at(START - 2 * HOUR - MINUTE)
    assert len(reminder_mail()) == 1
    dispatch_at(START - 2 * HOUR + 30 * MINUTE)
    assert reminder_mail()[1].subject == "Recordatorio: Vigilia en Tapachula, hoy 18:00 CST"
    assert reminder_mail()[1].to == [signup.email]
    assert set(Reminder.objects.filter(signup=signup).values_list("minutes_before", "status")) == {
        (1440, "sent"),
        (120, "sent"),
    }

    dispatch_at(START + MINUTE)
    assert len(reminder_mail()) == 2


def test_a_late_signup_gets_only_the_2_hour_reminder(action):
    ConfirmedSignupFactory(action=action)
    dispatch_at(START - 90 * MINUTE)
    dispatch_at(START - 89 * MINUTE)
    assert [m.subject for m in reminder_mail()] == ["Recordatorio: Vigilia en Tapachula, hoy 18:00 CST"]
    assert dict(Reminder.objects.values_list("minutes_before", "status")) == {120: "sent", 1440: "skipped"}


@pytest.mark.parametrize(
    "change",
    [
        {"reminders_enabled": False},
        {"status": Action.Status.CANCELLED},
        {"status": Action.Status.DRAFT},
    ],
    ids=["reminders off", "cancelled", "draft"],
)
def test_no_reminder_for_an_action_without_reminders_or_not_published(action, change):
    ConfirmedSignupFactory(action=action)
    Action.objects.filter(pk=action.pk).update(**change)
    dispatch_at(START - HOUR)
    assert reminder_mail() == [] and not Reminder.objects.exists()


@pytest.mark.parametrize("status", [Signup.Status.PENDING, Signup.Status.WAITLISTED, Signup.Status.CANCELLED])
def test_only_confirmed_volunteers_are_reminded(action, status):
    SignupFactory(action=action, status=status)
    confirmed = ConfirmedSignupFactory(action=action)
    dispatch_at(START - HOUR)
    assert [m.to for m in reminder_mail()] == [[confirmed.email]]


def test_a_queued_reminder_whose_action_is_cancelled_before_sending_is_skipped(action):
    signup = ConfirmedSignupFactory(action=action)
    record(signup, next_attempt_at=START - 2 * HOUR)
    Action.objects.filter(pk=action.pk).update(status=Action.Status.CANCELLED)
    dispatch_at(START - HOUR)
    assert reminder_mail() == []
    assert Reminder.objects.get().status == "skipped"


def test_the_reminder_is_in_the_volunteers_language_with_the_place_links_and_a_calendar_file(action):
    english = ConfirmedSignupFactory(action=action, language="en")
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


def test_the_online_meeting_link_goes_only_to_confirmed_volunteers(action):
    Action.objects.filter(pk=action.pk).update(city=None, online_url="https://meet.example.org/vigil")
    ConfirmedSignupFactory(action=action, language="en")
    dispatch_at(START - HOUR)
    (message,) = reminder_mail()
    assert "https://meet.example.org/vigil" in message.body
    event = icalendar.Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")[0]
    assert str(event["location"]) == "https://meet.example.org/vigil"


@pytest.mark.django_db(transaction=True)
def test_a_reminder_is_sent_once_when_two_dispatches_run_at_once(action):
    ConfirmedSignupFactory.create_batch(30, action=action)
    barrier = threading.Barrier(2)

    def dispatch():
        try:
            barrier.wait()
            dispatch_at(START - HOUR)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(m.to[0] for m in reminder_mail()).most_common(1)[0][1] == 1
    assert len(reminder_mail()) == 30


# Redelivery and racing workers: each reminder is claimed by one worker only.
def test_a_claimed_reminder_is_not_claimed_again_until_its_claim_is_stale(action, settings):
    signup = ConfirmedSignupFactory(action=action)
    reminder = record(signup, next_attempt_at=START - 2 * HOUR)
    claimed_at = START - 2 * HOUR
    assert outgoing.mail_claim(ids=[reminder.pk], now=claimed_at) == [reminder.pk]  # a worker that then dies
    assert outgoing.mail_claim(ids=[reminder.pk], now=claimed_at) == []  # the same message, delivered again

    dispatch_at(claimed_at + (settings.MAIL_CLAIM_TIMEOUT - 1) * MINUTE)
    assert reminder_mail() == []
    dispatch_at(claimed_at + (settings.MAIL_CLAIM_TIMEOUT + 1) * MINUTE)
    assert len(reminder_mail()) == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("sent", 2)


def test_a_reminder_handed_to_a_worker_but_lost_is_handed_out_again_after_the_timeout(action, settings):
    signup = ConfirmedSignupFactory(action=action)
    lost_at = START - 2 * HOUR
    record(signup, next_attempt_at=lost_at, enqueued_at=lost_at)
    dispatch_at(lost_at + MINUTE)
    assert reminder_mail() == []  # still with the broker, as far as the dispatch knows
    dispatch_at(lost_at + (settings.MAIL_CLAIM_TIMEOUT + 1) * MINUTE)
    assert len(reminder_mail()) == 1


# Failures: retried with backoff, then failed, then sent again from the admin.
def test_a_refused_address_is_retried_with_backoff_then_failed_while_the_rest_go_out(action, smtp_sink, settings):
    refused = ConfirmedSignupFactory(action=action, email="refused@example.org")
    others = ConfirmedSignupFactory.create_batch(3, action=action)
    smtp_sink.refused.add(refused.email)
    due = START - 20 * HOUR
    dispatch_at(due)
    assert sorted(smtp_sink.recipients()) == sorted(s.email for s in others)
    reminder = Reminder.objects.get(signup=refused, minutes_before=1440)
    assert (reminder.status, reminder.attempts, reminder.next_attempt_at) == ("queued", 1, due + MINUTE)
    assert "SMTPRecipientsRefused: 550" in reminder.error and refused.email not in reminder.error

    moment = due
    for attempt in range(2, settings.MAIL_MAX_ATTEMPTS + 1):
        backoff = min(2 ** (attempt - 2), 60) * MINUTE  # 1, 2, 4... minutes, at most an hour
        dispatch_at(moment + backoff - datetime.timedelta(seconds=1))  # not yet
        assert Reminder.objects.get(pk=reminder.pk).attempts == attempt - 1
        moment += backoff
        dispatch_at(moment)
        assert Reminder.objects.get(pk=reminder.pk).attempts == attempt
    reminder.refresh_from_db()
    assert reminder.status == "failed" and "550" in reminder.error
    dispatch_at(moment + HOUR)
    assert Reminder.objects.get(pk=reminder.pk).status == "failed"

    smtp_sink.refused.clear()
    with time_machine.travel(moment + 2 * HOUR, tick=False):
        assert outgoing.mail_retry(mail=Reminder.objects.all()) == 1
        outgoing.mail_dispatch()
    assert smtp_sink.recipients().count(refused.email) == 1
    assert Reminder.objects.get(pk=reminder.pk).status == "sent"


def test_the_admin_lists_failed_reminders_with_their_error_and_sends_them_again(admin_client, action):
    signup = ConfirmedSignupFactory(action=action)
    failed = record(signup, status="failed", attempts=8, error="SMTPServerDisconnected: gone")
    url = reverse("admin:actions_outgoingmail_changelist")
    html = admin_client.get(url + "?status__exact=failed", headers={"accept-language": "es"}).content.decode()
    assert "SMTPServerDisconnected: gone" in html and "Fallido" in html
    response = admin_client.post(url, {"action": "retry", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.error) == ("queued", 0, "")
    dispatch_at(START - 2 * HOUR)
    assert len(reminder_mail()) == 1


# Time: offsets are real durations, across a DST change and where there is none.
def test_new_york_on_the_day_dst_begins_is_reminded_24_real_hours_before():
    start = local(2027, 3, 14, 10, 0, "America/New_York")  # clocks went forward at 2:00 that morning
    assert start.tzname() == "EDT"
    start = start.astimezone(datetime.UTC)  # so that subtracting hours subtracts real hours
    action = ActionFactory(
        city=CityFactory(name_en="New York", country="US", time_zone="America/New_York"),
        title_en="Rally in New York",
        starts_at=start,
        ends_at=start + 2 * HOUR,
    )
    ConfirmedSignupFactory(action=action, language="en")
    dispatch_at(start - 24 * HOUR - MINUTE)  # 9:59 AM EST the day before: 23 hours by the clock
    assert reminder_mail() == []
    dispatch_at(start - 24 * HOUR)
    assert datetime.datetime(2027, 3, 13, 14, 0, tzinfo=datetime.UTC) == start - 24 * HOUR
    (message,) = reminder_mail()
    assert message.subject == "Reminder: Rally in New York, tomorrow 10:00 AM EDT"
    assert "March 14, 2027, 10:00 AM EDT" in message.body


def test_mexico_city_keeps_standard_time_on_that_date():
    start = local(2027, 3, 14, 18, 0, "America/Mexico_City")
    assert start.utcoffset() == -6 * HOUR and start.tzname() == "CST"
    action = ActionFactory(title_es="Vigilia en Ciudad de México", starts_at=start, ends_at=start + HOUR)
    ConfirmedSignupFactory(action=action, language="es")
    dispatch_at(start - 24 * HOUR)
    (message,) = reminder_mail()
    assert message.subject == "Recordatorio: Vigilia en Ciudad de México, mañana 18:00 CST"
    assert "14 de marzo de 2027, 18:00 CST" in message.body


# Changes and cancellations by an organizer.
def test_moving_the_start_sends_one_update_and_reminds_again_before_the_new_time(
    action, django_capture_on_commit_callbacks
):
    confirmed = ConfirmedSignupFactory(action=action, language="en")
    waitlisted = SignupFactory(action=action, status=Signup.Status.WAITLISTED, confirmed_at=START - 48 * HOUR)
    SignupFactory(action=action)  # pending: not told
    dispatch_at(START - 2 * HOUR)
    assert len(reminder_mail()) == 1

    new_start = START + 24 * HOUR
    with time_machine.travel(START - 90 * MINUTE, tick=False), django_capture_on_commit_callbacks(execute=True):
        action.starts_at, action.ends_at, action.venue = new_start, new_start + HOUR, "Plaza de la Paz"
        assert services.action_save(action=action) == ["time", "place"]
    updates = [m for m in mail.outbox if m not in reminder_mail()]
    assert sorted(m.to[0] for m in updates) == sorted([confirmed.email, waitlisted.email])
    english = next(m for m in updates if m.to == [confirmed.email])
    assert english.subject == "Changed: Vigil in Tapachula, tomorrow 6:00 PM CST"
    assert "changed this action: the time, the place." in english.body
    assert "Previous time: May 20, 2027, 6:00 PM CST" in english.body
    assert "Plaza de la Paz" in english.body
    assert icalendar.Calendar.from_ical(english.attachments[0][1]).walk("VEVENT")[0].decoded("dtstart") == new_start

    dispatch_at(new_start - 24 * HOUR)
    dispatch_at(new_start - 2 * HOUR)
    assert [m.subject for m in reminder_mail()[1:]] == [
        "Reminder: Vigil in Tapachula, tomorrow 6:00 PM CST",
        "Reminder: Vigil in Tapachula, today 6:00 PM CST",
    ]


def test_a_save_that_changes_nothing_volunteers_need_sends_nothing(action, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory(action=action)
    with django_capture_on_commit_callbacks(execute=True):
        action.description_en = "New words"
        assert services.action_save(action=action) == []
    assert mail.outbox == []


def test_a_new_meeting_link_is_sent_to_the_confirmed_only(action, django_capture_on_commit_callbacks):
    confirmed = ConfirmedSignupFactory(action=action)
    SignupFactory(action=action, status=Signup.Status.WAITLISTED, confirmed_at=START - 48 * HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        action.online_url = "https://meet.example.org/new"
        assert services.action_save(action=action) == ["meeting_link"]
    (message,) = mail.outbox
    assert message.to == [confirmed.email] and "https://meet.example.org/new" in message.body
    assert message.subject.startswith("Cambio: Vigilia en Tapachula")


def test_cancelling_the_action_tells_its_volunteers_once(action, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory.create_batch(2, action=action)
    with django_capture_on_commit_callbacks(execute=True):
        action.status, action.venue = Action.Status.CANCELLED, ""
        assert services.action_save(action=action) == ["cancelled"]
    assert [m.subject for m in mail.outbox] == ["Cancelada: Vigilia en Tapachula"] * 2
    assert "Las personas organizadoras cancelaron esta acción" in mail.outbox[0].body
    event = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED"


def test_an_organizer_saving_several_fields_in_the_admin_sends_one_email(
    admin_client, action, django_capture_on_commit_callbacks
):
    ConfirmedSignupFactory(action=action)
    data = action_form_data(
        admin_client,
        action,
        starts_at_0="2027-05-20",
        starts_at_1="19:00",
        ends_at_0="2027-05-20",
        ends_at_1="21:00",
        venue="Plaza de la Paz",
        address="Calle 5",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:actions_action_change", args=[action.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    (message,) = mail.outbox
    assert "Horario anterior: 20 de mayo de 2027, 18:00 CST" in message.body
    assert "20 de mayo de 2027, 19:00 CST" in message.body and "Plaza de la Paz, Calle 5" in message.body


def test_editing_an_action_that_is_over_emails_nobody(action, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory(action=action)
    with time_machine.travel(START + 3 * HOUR, tick=False), django_capture_on_commit_callbacks(execute=True):
        action.address = "Corrected address"
        services.action_save(action=action)
    assert mail.outbox == []


def test_the_send_due_reminders_command_runs_one_dispatch(action, capsys):
    ConfirmedSignupFactory(action=action)
    with time_machine.travel(START - HOUR, tick=False):
        call_command("send_due_reminders")
    assert "1 reminders newly due, 1 emails handed to workers" in capsys.readouterr().out
    assert len(reminder_mail()) == 1


def test_anonymizing_clears_delivery_errors_that_may_quote_the_address(action, settings):
    signup = ConfirmedSignupFactory(action=action)
    record(signup, status="failed", error=f"refused {signup.email}")
    with time_machine.travel(START + (settings.SIGNUP_RETENTION_DAYS + 1) * 24 * HOUR, tick=False):
        assert services.signups_anonymize() == 1
    assert Reminder.objects.get().error == ""


def test_the_reminder_list_costs_the_same_queries_for_many_rows(admin_client, django_assert_max_num_queries):
    def add_reminders(count):
        for signup in ConfirmedSignupFactory.create_batch(count):
            record(signup, status="sent")

    url = reverse("admin:actions_outgoingmail_changelist")
    add_reminders(1)
    with django_assert_max_num_queries(12):
        assert "Signup " in admin_client.get(url).content.decode()  # named by id, never by the volunteer
    add_reminders(20)
    with django_assert_max_num_queries(12):
        admin_client.get(url)


def test_subjects_carry_the_title_as_typed_and_the_html_escapes_it(action):
    Action.objects.filter(pk=action.pk).update(title_es='Vigilia "A & B" <c>')
    ConfirmedSignupFactory(action=action)
    dispatch_at(START - HOUR)
    (message,) = reminder_mail()
    assert message.subject == 'Recordatorio: Vigilia "A & B" <c>, hoy 18:00 CST'
    html, _type = message.alternatives[0]
    assert "Vigilia &quot;A &amp; B&quot; &lt;c&gt;" in html and "<c>" not in html


def test_actions_whose_time_is_to_be_announced_get_no_reminder(action):
    Action.objects.filter(pk=action.pk).update(time_to_be_announced=True)
    ConfirmedSignupFactory(action=action)
    dispatch_at(START - HOUR)
    assert reminder_mail() == []


def test_a_small_move_sends_the_update_instead_of_an_immediate_reminder(action, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory(action=action)
    dispatch_at(START - 23 * HOUR)
    assert len(reminder_mail()) == 1  # the 24-hour one
    moved = START + 15 * MINUTE
    with time_machine.travel(START - 22 * HOUR, tick=False), django_capture_on_commit_callbacks(execute=True):
        action.starts_at, action.ends_at = moved, moved + HOUR
        services.action_save(action=action)
    dispatch_at(START - 22 * HOUR + MINUTE)
    assert [m.subject for m in mail.outbox[1:]] == ["Cambio: Vigilia en Tapachula, mañana 18:15 CST"]
    dispatch_at(moved - 2 * HOUR)
    assert mail.outbox[-1].subject == "Recordatorio: Vigilia en Tapachula, hoy 18:15 CST"
    assert len(reminder_mail()) == 2


def test_a_reminder_recorded_for_the_old_start_is_skipped_and_the_new_start_reminded(action):
    signup = ConfirmedSignupFactory(action=action)
    old = record(signup, next_attempt_at=START - 2 * HOUR)  # made by a dispatch that read the old start
    new_start = START + 3 * HOUR
    Action.objects.filter(pk=action.pk).update(starts_at=new_start, ends_at=new_start + HOUR)
    dispatch_at(START - 90 * MINUTE)  # only the new start's 24-hour reminder is due
    assert Reminder.objects.get(pk=old.pk).status == "skipped"
    dispatch_at(new_start - 2 * HOUR)
    assert [m.subject for m in reminder_mail()] == ["Recordatorio: Vigilia en Tapachula, hoy 21:00 CST"] * 2


def test_calling_a_cancelled_action_again_tells_its_volunteers(action, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory(action=action, language="en")
    Action.objects.filter(pk=action.pk).update(status=Action.Status.CANCELLED)
    action.refresh_from_db()
    with time_machine.travel(START - 90 * MINUTE, tick=False), django_capture_on_commit_callbacks(execute=True):
        action.status = Action.Status.PUBLISHED
        assert services.action_save(action=action) == ["reinstated"]
    (message,) = mail.outbox
    assert message.subject == "On again: Vigil in Tapachula, today 6:00 PM CST"
    assert "called this action again: it takes place as below." in message.body
    dispatch_at(START - 89 * MINUTE)  # the 2-hour reminder was due already: the email said it all
    assert reminder_mail() == []


def test_a_waitlisted_volunteer_is_not_told_of_a_meeting_link(action, django_capture_on_commit_callbacks):
    SignupFactory(action=action, status=Signup.Status.WAITLISTED, confirmed_at=START - 48 * HOUR, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        action.online_url, action.starts_at = "https://meet.example.org/x", START + HOUR
        assert services.action_save(action=action) == ["time", "meeting_link"]
    (message,) = mail.outbox
    assert "changed this action: the time." in message.body
    assert "meet.example.org" not in message.body + message.alternatives[0][0] + str(message.attachments[0][1])


def test_announcing_the_time_shows_no_made_up_previous_time(action, django_capture_on_commit_callbacks):
    Action.objects.filter(pk=action.pk).update(time_to_be_announced=True)
    action.refresh_from_db()
    ConfirmedSignupFactory(action=action, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        action.time_to_be_announced = False
        assert services.action_save(action=action) == ["time"]
    (message,) = mail.outbox
    assert "Previous time" not in message.body


def test_a_new_end_shows_the_previous_start_and_end(action, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory(action=action, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        action.ends_at = START + 3 * HOUR
        services.action_save(action=action)
    assert "Previous time: May 20, 2027, 6:00 PM CST – 8:00 PM CST" in mail.outbox[0].body


def test_reminders_out_of_time_count_an_attempt_and_wait_for_a_later_round(action, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.OutOfTimeBackend"
    ConfirmedSignupFactory.create_batch(2, action=action)
    dispatch_at(START - HOUR)
    rows = Reminder.objects.filter(minutes_before=120)
    assert {(r.status, r.attempts, r.next_attempt_at) for r in rows} == {("queued", 1, START - HOUR + MINUTE)}
    assert all(r.error == "TimeoutError: the batch ran out of time" for r in rows)


def test_organizers_cannot_delete_reminders_which_would_send_them_again(admin_client, action):
    reminder = record(ConfirmedSignupFactory(action=action), status="sent")
    assert admin_client.get(reverse("admin:actions_outgoingmail_delete", args=[reminder.pk])).status_code == 403
    changelist = reverse("admin:actions_outgoingmail_changelist")
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [reminder.pk], "post": "yes"})
    assert Reminder.objects.filter(pk=reminder.pk).exists()


def test_sending_again_after_the_action_started_says_so(admin_client, action):
    failed = record(ConfirmedSignupFactory(action=action), status="failed", attempts=8)
    past = START.replace(year=2026, month=1)
    Action.objects.filter(pk=action.pk).update(starts_at=past, ends_at=past + HOUR)
    response = admin_client.post(
        reverse("admin:actions_outgoingmail_changelist"),
        {"action": "retry", "_selected_action": [failed.pk]},
        follow=True,
    )
    assert "are not sent again" in response.content.decode()
    assert Reminder.objects.get(pk=failed.pk).status == "failed"


def test_a_refused_signup_email_is_retried_without_writing_the_address_to_the_log(
    smtp_sink, caplog, django_capture_on_commit_callbacks
):
    action = ActionFactory(starts_at=START, ends_at=START + HOUR)
    smtp_sink.refused.add("nadie@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_request(action=action, name="Nadie", email="nadie@example.org", language="es")
    assert smtp_sink.messages == []
    logged = "\n".join(caplog.handler.format(r) for r in caplog.records if r.name != "mail.log")  # not the sink's
    assert "SMTPRecipientsRefused: 550" in logged
    assert "nadie@example.org" not in logged


def test_saving_the_admin_form_unchanged_keeps_a_time_in_the_repeated_hour(
    admin_client, django_capture_on_commit_callbacks
):
    start = datetime.datetime(2027, 11, 7, 4, 30, tzinfo=datetime.UTC)  # 00:30 EDT
    end = datetime.datetime(2027, 11, 7, 6, 30, tzinfo=datetime.UTC)  # 01:30 EST, the second 01:30 that night
    action = ActionFactory(city=CityFactory(country="US", time_zone="America/New_York"), starts_at=start, ends_at=end)
    ConfirmedSignupFactory(action=action)
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = action_form_data(
        admin_client, action, starts_at_0="2027-11-07", starts_at_1="00:30", ends_at_0="2027-11-07", ends_at_1="01:30"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.starts_at, action.ends_at) == (start, end)
    assert mail.outbox == []


def test_a_volunteer_confirmed_when_a_reminder_is_due_gets_it_at_once(action, django_capture_on_commit_callbacks):
    signup = SignupFactory(action=action, language="en")
    with time_machine.travel(START - 90 * MINUTE, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.signup_confirm(signup=signup)
    assert [m.subject for m in reminder_mail()] == ["Reminder: Vigil in Tapachula, today 6:00 PM CST"]


def test_confirming_days_ahead_sends_no_reminder_yet(action, django_capture_on_commit_callbacks):
    with time_machine.travel(START - 3 * 24 * HOUR, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.signup_confirm(signup=SignupFactory(action=action))
    assert reminder_mail() == [] and not Reminder.objects.exists()


# Found by the second review.
def test_organizers_can_still_delete_a_signup_or_an_action_that_has_reminders(admin_client, action):
    signup = ConfirmedSignupFactory(action=action)
    dispatch_at(START - HOUR)
    assert Reminder.objects.filter(signup=signup).exists()
    url = reverse("admin:actions_signup_delete", args=[signup.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Signup.objects.filter(pk=signup.pk).exists()
    record(ConfirmedSignupFactory(action=action), status="sent")
    assert (
        admin_client.post(reverse("admin:actions_action_delete", args=[action.pk]), {"post": "yes"}).status_code == 302
    )
    assert not Action.objects.filter(pk=action.pk).exists()


def test_a_batch_stops_at_the_next_message_once_the_action_is_cancelled(action, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.CancelsTheActionBackend"
    ConfirmedSignupFactory.create_batch(3, action=action)
    dispatch_at(START - HOUR)
    assert len(reminder_mail()) == 1
    assert Counter(Reminder.objects.filter(minutes_before=120).values_list("status", flat=True)) == {
        "sent": 1,
        "skipped": 2,
    }


def test_later_messages_of_a_batch_show_an_edit_made_while_it_is_under_way(action, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.MovesTheVenueBackend"
    ConfirmedSignupFactory(action=action, name="First", language="es")
    ConfirmedSignupFactory(action=action, name="Leaves", language="es")
    ConfirmedSignupFactory(action=action, name="Last", language="es")
    dispatch_at(START - HOUR)
    first, last = reminder_mail()
    assert "Parque Central" in first.body and "Plaza Nueva" not in first.body
    assert "Plaza Nueva" in last.body
    calendars = [icalendar.Calendar.from_ical(m.attachments[0][1]) for m in (first, last)]
    locations = [str(calendar.walk("VEVENT")[0]["LOCATION"]) for calendar in calendars]
    assert "Parque Central" in locations[0] and "Plaza Nueva" in locations[1]
    assert Reminder.objects.get(signup__name="Leaves", minutes_before=120).status == "skipped"


def test_a_move_across_the_dst_change_counts_real_hours(django_capture_on_commit_callbacks):
    new_york = CityFactory(country="US", time_zone="America/New_York")
    old_start = local(2027, 3, 20, 10, 0, "America/New_York")
    action = ActionFactory(city=new_york, title_en="Rally", starts_at=old_start, ends_at=old_start + HOUR)
    ConfirmedSignupFactory(action=action, language="en")
    moved_at = datetime.datetime(2027, 3, 13, 14, 30, tzinfo=datetime.UTC)  # 9:30 AM EST
    new_start = local(2027, 3, 14, 10, 0, "America/New_York")  # EDT: 23.5 real hours later
    with time_machine.travel(moved_at, tick=False), django_capture_on_commit_callbacks(execute=True):
        action.starts_at, action.ends_at = new_start, local(2027, 3, 14, 11, 0, "America/New_York")
        services.action_save(action=action)
    dispatch_at(moved_at + MINUTE)
    assert [m.subject for m in mail.outbox] == ["Changed: Rally, tomorrow 10:00 AM EDT"]  # no reminder after it
    dispatch_at(new_start.astimezone(datetime.UTC) - 2 * HOUR)
    assert mail.outbox[-1].subject == "Reminder: Rally, today 10:00 AM EDT"


def test_publishing_an_action_again_after_a_draft_spell_tells_its_volunteers(
    action, django_capture_on_commit_callbacks
):
    ConfirmedSignupFactory(action=action, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        action.status = Action.Status.DRAFT
        assert services.action_save(action=action) == []
        action.starts_at -= 4 * HOUR
        services.action_save(action=action)
        action.status = Action.Status.PUBLISHED
        assert services.action_save(action=action) == ["reinstated"]
    (message,) = mail.outbox
    assert message.subject.startswith("On again: Vigil in Tapachula") and "2:00 PM CST" in message.subject


def test_the_previous_time_is_shown_as_volunteers_were_told_it_in_the_old_zone(
    action, django_capture_on_commit_callbacks
):
    ConfirmedSignupFactory(action=action, language="en")
    tijuana = CityFactory(name_en="Tijuana", time_zone="America/Tijuana")
    with django_capture_on_commit_callbacks(execute=True):
        action.city = tijuana
        action.starts_at, action.ends_at = local(2027, 5, 20, 18, 0, "America/Tijuana"), START + 4 * HOUR
        assert services.action_save(action=action) == ["time", "place"]
    assert "Previous time: May 20, 2027, 6:00 PM CST – 8:00 PM CST" in mail.outbox[0].body


def test_announcing_the_time_is_not_followed_by_an_immediate_reminder(action, django_capture_on_commit_callbacks):
    Action.objects.filter(pk=action.pk).update(time_to_be_announced=True)
    action.refresh_from_db()
    ConfirmedSignupFactory(action=action)
    with time_machine.travel(START - 90 * MINUTE, tick=False), django_capture_on_commit_callbacks(execute=True):
        action.time_to_be_announced = False
        services.action_save(action=action)
    dispatch_at(START - 89 * MINUTE)
    assert [m.subject for m in mail.outbox] == ["Cambio: Vigilia en Tapachula, hoy 18:00 CST"]


def test_a_past_action_moved_to_a_new_date_tells_its_volunteers(action, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory(action=action, language="en")
    with time_machine.travel(START + 7 * 24 * HOUR, tick=False), django_capture_on_commit_callbacks(execute=True):
        action.starts_at, action.ends_at = START + 14 * 24 * HOUR, START + 14 * 24 * HOUR + HOUR
        assert services.action_save(action=action) == ["time"]
    assert mail.outbox[0].subject.startswith("Changed: Vigil in Tapachula")


def test_reinstating_skips_a_reminder_that_was_waiting_for_a_retry(action, django_capture_on_commit_callbacks):
    signup = ConfirmedSignupFactory(action=action)
    record(signup, attempts=1, next_attempt_at=START - 80 * MINUTE, error="SMTPServerDisconnected: gone")
    with time_machine.travel(START - 90 * MINUTE, tick=False), django_capture_on_commit_callbacks(execute=True):
        action.status = Action.Status.CANCELLED
        services.action_save(action=action)
        action.status = Action.Status.PUBLISHED
        services.action_save(action=action)
    dispatch_at(START - 79 * MINUTE)
    assert reminder_mail() == []


def test_reinstating_gives_free_seats_to_the_waitlist(action, django_capture_on_commit_callbacks):
    Action.objects.filter(pk=action.pk).update(capacity=1, status=Action.Status.CANCELLED)
    action.refresh_from_db()
    waitlisted = SignupFactory(action=action, status=Signup.Status.WAITLISTED, confirmed_at=START - 48 * HOUR)
    with time_machine.travel(START - 24 * HOUR, tick=False), django_capture_on_commit_callbacks(execute=True):
        action.status = Action.Status.PUBLISHED
        services.action_save(action=action)
    waitlisted.refresh_from_db()
    assert waitlisted.status == "confirmed"


def test_send_again_leaves_a_failed_reminder_for_an_old_start(admin_client, action):
    failed = record(ConfirmedSignupFactory(action=action), status="failed", attempts=8)
    Action.objects.filter(pk=action.pk).update(starts_at=START + HOUR, ends_at=START + 2 * HOUR)
    response = admin_client.post(
        reverse("admin:actions_outgoingmail_changelist"),
        {"action": "retry", "_selected_action": [failed.pk]},
        follow=True,
    )
    assert "are not sent again" in response.content.decode()
    assert Reminder.objects.get(pk=failed.pk).status == "failed"


def test_the_dispatch_with_nothing_due_costs_the_same_queries_for_many_signups(action, django_assert_max_num_queries):
    ConfirmedSignupFactory(action=action)
    dispatch_at(START - 2 * HOUR)  # sends one, so sent rows exist too
    ConfirmedSignupFactory.create_batch(30, action=ActionFactory(starts_at=START + 30 * 24 * HOUR))
    with time_machine.travel(START - HOUR, tick=False), django_assert_max_num_queries(4):
        assert outgoing.mail_dispatch() == {"skipped": 0, "queued": 0, "enqueued": 0}


@pytest.mark.parametrize(("confirmed_before", "reminders_sent"), [(123, 1), (180, 2)])
def test_a_reminder_is_not_sent_again_within_half_its_offset_of_the_last(
    action, django_capture_on_commit_callbacks, confirmed_before, reminders_sent
):
    signup = SignupFactory(action=action)
    with time_machine.travel(START - confirmed_before * MINUTE, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.signup_confirm(signup=signup)  # the 24-hour reminder is due: it goes at once
    for minutes in range(confirmed_before - 1, 100, -1):
        dispatch_at(START - minutes * MINUTE)
    assert len(reminder_mail()) == reminders_sent
