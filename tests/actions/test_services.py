"""actions/services.py: the writes. Seats and the waitlist (also under real concurrency: threads with
their own connections, on PostgreSQL), pending signups' expiry, the erasure after the retention
period, and what saving an action tells its volunteers."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import icalendar
import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from actions import services
from actions.models import Action, Signup
from tests.actions.clock import HOUR, MINUTE, START, dispatch_at, reminder_mail
from tests.factories import ActionFactory, ConfirmedSignupFactory, SignupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    """Two seats, and a meeting link that only confirmed volunteers see."""
    return ActionFactory(capacity=2, online_url="https://meet.example.org/room-42")


def test_waitlist_promote_fills_free_seats_and_lowering_capacity_bumps_nobody(action):
    signups = [services.signup_confirm(signup=SignupFactory(action=action)) for _ in range(4)]
    assert [s.status for s in signups] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    services.waitlist_promote(action=Action.objects.filter(pk=action.pk).first())  # nothing free: no change
    Action.objects.filter(pk=action.pk).update(capacity=3)
    services.waitlist_promote(action=action)
    assert list(Signup.objects.order_by("pk").values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    Action.objects.filter(pk=action.pk).update(capacity=1)
    services.waitlist_promote(action=action)
    assert Signup.objects.filter(status="confirmed").count() == 3


def test_saving_a_raised_capacity_promotes_the_waitlist_and_a_lowered_one_bumps_nobody(action):
    signups = [services.signup_confirm(signup=SignupFactory(action=action)) for _ in range(4)]
    action.capacity = 3
    services.action_save(action=action)
    assert [s.status for s in Signup.objects.order_by("pk")] == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    action.capacity = 1
    services.action_save(action=action)
    assert Signup.objects.filter(status="confirmed").count() == 3
    action.capacity = None
    services.action_save(action=action)
    assert Signup.objects.get(pk=signups[-1].pk).status == "confirmed"


@pytest.mark.parametrize("change", ["cancelled", "started"])
def test_nobody_is_promoted_into_a_cancelled_or_started_action(action, change):
    confirmed = services.signup_confirm(signup=SignupFactory(action=action))
    services.signup_confirm(signup=SignupFactory(action=action))
    waiting = services.signup_confirm(signup=SignupFactory(action=action))
    if change == "cancelled":
        Action.objects.filter(pk=action.pk).update(status=Action.Status.CANCELLED)
    else:
        Action.objects.filter(pk=action.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    services.signup_cancel(signup=confirmed)
    assert Signup.objects.get(pk=waiting.pk).status == "waitlisted"


def test_reinstating_gives_free_seats_to_the_waitlist(vigil, django_capture_on_commit_callbacks):
    Action.objects.filter(pk=vigil.pk).update(capacity=1, status=Action.Status.CANCELLED)
    vigil.refresh_from_db()
    waitlisted = SignupFactory(action=vigil, status=Signup.Status.WAITLISTED, confirmed_at=START - 48 * HOUR)
    with time_machine.travel(START - 24 * HOUR, tick=False), django_capture_on_commit_callbacks(execute=True):
        vigil.status = Action.Status.PUBLISHED
        services.action_save(action=vigil)
    waitlisted.refresh_from_db()
    assert waitlisted.status == "confirmed"


def in_threads(count, work):
    """Run work(i) in `count` threads released together; each closes its own connection."""
    barrier = threading.Barrier(count)

    def run(i):
        try:
            barrier.wait()
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.mark.django_db(transaction=True)
def test_fifty_volunteers_confirming_at_once_never_overbook():
    action = ActionFactory(capacity=10)
    signups = [SignupFactory(action=action) for _ in range(50)]
    in_threads(50, lambda i: services.signup_confirm(signup=signups[i]))
    statuses = list(Signup.objects.values_list("status", flat=True))
    assert statuses.count("confirmed") == 10
    assert statuses.count("waitlisted") == 40
    positions = sorted(s.waitlist_position() for s in Signup.objects.filter(status="waitlisted"))
    assert positions == list(range(1, 41))


@pytest.mark.django_db(transaction=True)
def test_twenty_submissions_of_one_address_make_one_signup():
    action = ActionFactory()
    emails = ["Ana@Example.org" if i % 2 else "ana@example.org" for i in range(20)]
    results = in_threads(
        20, lambda i: services.signup_request(action=action, name="Ana", email=emails[i], language="es").pk
    )
    assert Signup.objects.count() == 1
    assert set(results) == {Signup.objects.get().pk}


@pytest.mark.django_db(transaction=True)
def test_twenty_submissions_of_one_address_at_once_send_one_confirmation():
    from actions.models import OutgoingMail

    action = ActionFactory()
    emails = ["Ana@Example.org" if i % 2 else "ana@example.org" for i in range(20)]
    in_threads(20, lambda i: services.signup_request(action=action, name="Ana", email=emails[i], language="es"))
    assert list(OutgoingMail.objects.exclude(status="skipped").values_list("kind", flat=True)) == ["confirm"]


def test_pending_signups_expire_after_48_hours():
    old = SignupFactory()
    Signup.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=49))
    fresh = SignupFactory()
    confirmed = services.signup_confirm(signup=SignupFactory())
    Signup.objects.filter(pk=confirmed.pk).update(created_at=timezone.now() - datetime.timedelta(days=5))
    assert services.signups_expire() == 1
    assert set(Signup.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}


def test_personal_data_is_erased_after_the_retention_period_and_counts_survive(settings):
    settings.SIGNUP_RETENTION_DAYS = 30
    old_action = ActionFactory(
        starts_at=timezone.now() - datetime.timedelta(days=32), ends_at=timezone.now() - datetime.timedelta(days=31)
    )
    recent_action = ActionFactory(
        starts_at=timezone.now() - datetime.timedelta(days=3), ends_at=timezone.now() - datetime.timedelta(days=2)
    )
    old = [SignupFactory(action=old_action, phone="+525512345678", status=s) for s in ("confirmed", "confirmed")]
    recent = SignupFactory(action=recent_action)
    assert services.signups_anonymize() == 2
    assert services.signups_anonymize() == 0  # safe to run twice
    for signup in old:
        signup.refresh_from_db()
        assert (signup.name, signup.email, signup.phone, signup.status) == ("", "", "", "confirmed")
    recent.refresh_from_db()
    assert recent.email and recent.anonymized_at is None


# What saving an action tells its volunteers (what the emails say is in test_emails.py).
def test_moving_the_start_sends_one_update_and_reminds_again_before_the_new_time(
    vigil, django_capture_on_commit_callbacks
):
    confirmed = ConfirmedSignupFactory(action=vigil, language="en")
    waitlisted = SignupFactory(action=vigil, status=Signup.Status.WAITLISTED, confirmed_at=START - 48 * HOUR)
    SignupFactory(action=vigil)  # pending: not told
    dispatch_at(START - 2 * HOUR)
    assert len(reminder_mail()) == 1

    new_start = START + 24 * HOUR
    with time_machine.travel(START - 90 * MINUTE, tick=False), django_capture_on_commit_callbacks(execute=True):
        vigil.starts_at, vigil.ends_at, vigil.venue = new_start, new_start + HOUR, "Plaza de la Paz"
        assert services.action_save(action=vigil) == ["time", "place"]
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


def test_a_save_that_changes_nothing_volunteers_need_sends_nothing(vigil, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory(action=vigil)
    with django_capture_on_commit_callbacks(execute=True):
        vigil.description_en = "New words"
        assert services.action_save(action=vigil) == []
    assert mail.outbox == []


def test_a_new_meeting_link_is_sent_to_the_confirmed_only(vigil, django_capture_on_commit_callbacks):
    confirmed = ConfirmedSignupFactory(action=vigil)
    SignupFactory(action=vigil, status=Signup.Status.WAITLISTED, confirmed_at=START - 48 * HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        vigil.online_url = "https://meet.example.org/new"
        assert services.action_save(action=vigil) == ["meeting_link"]
    (message,) = mail.outbox
    assert message.to == [confirmed.email] and "https://meet.example.org/new" in message.body
    assert message.subject.startswith("Cambio: Vigilia en Tapachula")


def test_cancelling_the_action_tells_its_volunteers_once(vigil, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory.create_batch(2, action=vigil)
    with django_capture_on_commit_callbacks(execute=True):
        vigil.status, vigil.venue = Action.Status.CANCELLED, ""
        assert services.action_save(action=vigil) == ["cancelled"]
    assert [m.subject for m in mail.outbox] == ["Cancelada: Vigilia en Tapachula"] * 2
    assert "Las personas organizadoras cancelaron esta acción" in mail.outbox[0].body
    event = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED"


def test_calling_a_cancelled_action_again_tells_its_volunteers(vigil, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory(action=vigil, language="en")
    Action.objects.filter(pk=vigil.pk).update(status=Action.Status.CANCELLED)
    vigil.refresh_from_db()
    with time_machine.travel(START - 90 * MINUTE, tick=False), django_capture_on_commit_callbacks(execute=True):
        vigil.status = Action.Status.PUBLISHED
        assert services.action_save(action=vigil) == ["reinstated"]
    (message,) = mail.outbox
    assert message.subject == "On again: Vigil in Tapachula, today 6:00 PM CST"
    assert "called this action again: it takes place as below." in message.body
    dispatch_at(START - 89 * MINUTE)  # the 2-hour reminder was due already: the email said it all
    assert reminder_mail() == []


def test_publishing_an_action_again_after_a_draft_spell_tells_its_volunteers(vigil, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory(action=vigil, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        vigil.status = Action.Status.DRAFT
        assert services.action_save(action=vigil) == []
        vigil.starts_at -= 4 * HOUR
        services.action_save(action=vigil)
        vigil.status = Action.Status.PUBLISHED
        assert services.action_save(action=vigil) == ["reinstated"]
    (message,) = mail.outbox
    assert message.subject.startswith("On again: Vigil in Tapachula") and "2:00 PM CST" in message.subject


def test_a_past_action_moved_to_a_new_date_tells_its_volunteers(vigil, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory(action=vigil, language="en")
    with time_machine.travel(START + 7 * 24 * HOUR, tick=False), django_capture_on_commit_callbacks(execute=True):
        vigil.starts_at, vigil.ends_at = START + 14 * 24 * HOUR, START + 14 * 24 * HOUR + HOUR
        assert services.action_save(action=vigil) == ["time"]
    assert mail.outbox[0].subject.startswith("Changed: Vigil in Tapachula")


def test_editing_an_action_that_is_over_emails_nobody(vigil, django_capture_on_commit_callbacks):
    ConfirmedSignupFactory(action=vigil)
    with time_machine.travel(START + 3 * HOUR, tick=False), django_capture_on_commit_callbacks(execute=True):
        vigil.address = "Corrected address"
        services.action_save(action=vigil)
    assert mail.outbox == []
