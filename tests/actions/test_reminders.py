"""actions/reminders.py on a frozen clock (tests/actions/clock.py): which reminders are due, that each
goes out once, and what a change to the action does to them. Tasks run eagerly here;
tests/actions/test_mail_delivery.py runs them through Redis and a worker."""

import datetime

import pytest
import time_machine
from django.core import mail

from actions import services
from actions.models import Action, Reminder, Signup
from tests.actions.clock import HOUR, MINUTE, START, dispatch_at, record, reminder_mail
from tests.factories import ActionFactory, CityFactory, ConfirmedSignupFactory, SignupFactory, local

pytestmark = pytest.mark.django_db


def test_the_24_hour_and_2_hour_reminders_each_go_out_once_when_due(vigil):
    signup = ConfirmedSignupFactory(action=vigil)
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


def test_a_late_signup_gets_only_the_2_hour_reminder(vigil):
    ConfirmedSignupFactory(action=vigil)
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
def test_no_reminder_for_an_action_without_reminders_or_not_published(vigil, change):
    ConfirmedSignupFactory(action=vigil)
    Action.objects.filter(pk=vigil.pk).update(**change)
    dispatch_at(START - HOUR)
    assert reminder_mail() == [] and not Reminder.objects.exists()


@pytest.mark.parametrize("status", [Signup.Status.PENDING, Signup.Status.WAITLISTED, Signup.Status.CANCELLED])
def test_only_confirmed_volunteers_are_reminded(vigil, status):
    SignupFactory(action=vigil, status=status)
    confirmed = ConfirmedSignupFactory(action=vigil)
    dispatch_at(START - HOUR)
    assert [m.to for m in reminder_mail()] == [[confirmed.email]]


def test_actions_whose_time_is_to_be_announced_get_no_reminder(vigil):
    Action.objects.filter(pk=vigil.pk).update(time_to_be_announced=True)
    ConfirmedSignupFactory(action=vigil)
    dispatch_at(START - HOUR)
    assert reminder_mail() == []


def test_a_queued_reminder_whose_action_is_cancelled_before_sending_is_skipped(vigil):
    signup = ConfirmedSignupFactory(action=vigil)
    record(signup, next_attempt_at=START - 2 * HOUR)
    Action.objects.filter(pk=vigil.pk).update(status=Action.Status.CANCELLED)
    dispatch_at(START - HOUR)
    assert reminder_mail() == []
    assert Reminder.objects.get().status == "skipped"


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


def test_a_volunteer_confirmed_when_a_reminder_is_due_gets_it_at_once(vigil, django_capture_on_commit_callbacks):
    signup = SignupFactory(action=vigil, language="en")
    with time_machine.travel(START - 90 * MINUTE, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.signup_confirm(signup=signup)
    assert [m.subject for m in reminder_mail()] == ["Reminder: Vigil in Tapachula, today 6:00 PM CST"]


def test_confirming_days_ahead_sends_no_reminder_yet(vigil, django_capture_on_commit_callbacks):
    with time_machine.travel(START - 3 * 24 * HOUR, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.signup_confirm(signup=SignupFactory(action=vigil))
    assert reminder_mail() == [] and not Reminder.objects.exists()


@pytest.mark.parametrize(("confirmed_before", "reminders_sent"), [(123, 1), (180, 2)])
def test_a_reminder_is_not_sent_again_within_half_its_offset_of_the_last(
    vigil, django_capture_on_commit_callbacks, confirmed_before, reminders_sent
):
    signup = SignupFactory(action=vigil)
    with time_machine.travel(START - confirmed_before * MINUTE, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.signup_confirm(signup=signup)  # the 24-hour reminder is due: it goes at once
    for minutes in range(confirmed_before - 1, 100, -1):
        dispatch_at(START - minutes * MINUTE)
    assert len(reminder_mail()) == reminders_sent


def test_a_small_move_sends_the_update_instead_of_an_immediate_reminder(vigil, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory(action=vigil)
    dispatch_at(START - 23 * HOUR)
    assert len(reminder_mail()) == 1  # the 24-hour one
    moved = START + 15 * MINUTE
    with time_machine.travel(START - 22 * HOUR, tick=False), django_capture_on_commit_callbacks(execute=True):
        vigil.starts_at, vigil.ends_at = moved, moved + HOUR
        services.action_save(action=vigil)
    dispatch_at(START - 22 * HOUR + MINUTE)
    assert [m.subject for m in mail.outbox[1:]] == ["Cambio: Vigilia en Tapachula, mañana 18:15 CST"]
    dispatch_at(moved - 2 * HOUR)
    assert mail.outbox[-1].subject == "Recordatorio: Vigilia en Tapachula, hoy 18:15 CST"
    assert len(reminder_mail()) == 2


def test_a_reminder_recorded_for_the_old_start_is_skipped_and_the_new_start_reminded(vigil):
    signup = ConfirmedSignupFactory(action=vigil)
    old = record(signup, next_attempt_at=START - 2 * HOUR)  # made by a dispatch that read the old start
    new_start = START + 3 * HOUR
    Action.objects.filter(pk=vigil.pk).update(starts_at=new_start, ends_at=new_start + HOUR)
    dispatch_at(START - 90 * MINUTE)  # only the new start's 24-hour reminder is due
    assert Reminder.objects.get(pk=old.pk).status == "skipped"
    dispatch_at(new_start - 2 * HOUR)
    assert [m.subject for m in reminder_mail()] == ["Recordatorio: Vigilia en Tapachula, hoy 21:00 CST"] * 2


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


def test_announcing_the_time_is_not_followed_by_an_immediate_reminder(vigil, django_capture_on_commit_callbacks):
    Action.objects.filter(pk=vigil.pk).update(time_to_be_announced=True)
    vigil.refresh_from_db()
    ConfirmedSignupFactory(action=vigil)
    with time_machine.travel(START - 90 * MINUTE, tick=False), django_capture_on_commit_callbacks(execute=True):
        vigil.time_to_be_announced = False
        services.action_save(action=vigil)
    dispatch_at(START - 89 * MINUTE)
    assert [m.subject for m in mail.outbox] == ["Cambio: Vigilia en Tapachula, hoy 18:00 CST"]


def test_reinstating_skips_a_reminder_that_was_waiting_for_a_retry(vigil, django_capture_on_commit_callbacks):
    signup = ConfirmedSignupFactory(action=vigil)
    record(signup, attempts=1, next_attempt_at=START - 80 * MINUTE, error="SMTPServerDisconnected: gone")
    with time_machine.travel(START - 90 * MINUTE, tick=False), django_capture_on_commit_callbacks(execute=True):
        vigil.status = Action.Status.CANCELLED
        services.action_save(action=vigil)
        vigil.status = Action.Status.PUBLISHED
        services.action_save(action=vigil)
    dispatch_at(START - 79 * MINUTE)
    assert reminder_mail() == []
