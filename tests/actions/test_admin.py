"""actions/admin.py: what organizers do in the admin: edit an action in its own time zone, duplicate it
to other cities, handle signups, follow outgoing mail and send it again. Who may see what is in
test_roles.py; the admin site as a whole in tests/movement/test_admin_site.py."""

import datetime
import re

import pytest
from django.core import mail as outbox
from django.urls import reverse
from django.utils import translation

from actions import mail
from actions.models import Action, Campaign, MailKind, OutgoingMail, Reminder, Signup
from tests.actions.clock import HOUR, START, dispatch_at, record, reminder_mail
from tests.admin_forms import action_form_data, admin_url
from tests.factories import (
    ENGLISH_ORDER,
    NAMES_TO_SORT,
    SPANISH_ORDER,
    ActionFactory,
    CityFactory,
    ConfirmedSignupFactory,
    DemandFactory,
    OrganizationFactory,
    SignupFactory,
    cities_to_sort,
    city_named,
    local,
)

pytestmark = pytest.mark.django_db


def test_organizer_edits_the_spanish_title_and_sees_it_on_the_spanish_page(admin_client, client):
    action = ActionFactory(
        city=CityFactory(time_zone="America/Mexico_City"),
        starts_at=local(2023, 6, 30, 18, 0, "America/Mexico_City"),
        ends_at=local(2023, 6, 30, 20, 0, "America/Mexico_City"),
    )
    url = admin_url(Action, "change", action.pk)
    assert 'name="starts_at_1" value="18:00"' in admin_client.get(url).content.decode()  # the city's own time

    data = action_form_data(
        admin_client,
        action,
        title_es="Vigilia por las víctimas en Tapachula",
        starts_at_0="2023-06-30",
        starts_at_1="18:00",
        ends_at_0="2023-06-30",
        ends_at_1="20:00",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    assert action.title_es == "Vigilia por las víctimas en Tapachula"
    assert action.starts_at == local(2023, 6, 30, 18, 0, "America/Mexico_City")
    assert "Vigilia por las víctimas en Tapachula" in client.get(f"/es/actions/{action.slug}/").content.decode()


def test_an_organizer_saving_several_fields_in_the_admin_sends_one_email(
    admin_client, vigil, django_capture_on_commit_callbacks
):
    ConfirmedSignupFactory(action=vigil)
    data = action_form_data(
        admin_client,
        vigil,
        starts_at_0="2027-05-20",
        starts_at_1="19:00",
        ends_at_0="2027-05-20",
        ends_at_1="21:00",
        venue="Plaza de la Paz",
        address="Calle 5",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:actions_action_change", args=[vigil.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    (message,) = outbox.outbox
    assert "Horario anterior: 20 de mayo de 2027, 18:00 CST" in message.body
    assert "20 de mayo de 2027, 19:00 CST" in message.body and "Plaza de la Paz, Calle 5" in message.body


def test_campaign_admin_rejects_bad_dates_and_time_zone_next_to_the_fields(admin_client):
    response = admin_client.post(
        admin_url(Campaign, "add"),
        {
            "title_en": "Day of action",
            "title_es": "Jornada de acción",
            "summary_en": "",
            "summary_es": "",
            "description_en": "",
            "description_es": "",
            "start_date": "2027-01-10",
            "end_date": "2027-01-09",
            "time_zone": "Mars/Base",
            "slug": "day",
        },
    )
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"end_date", "time_zone"}
    assert not Campaign.objects.exists()


def test_action_list_shows_seats_and_waitlist_without_a_query_per_row(admin_client, django_assert_max_num_queries):
    from actions import services

    def add_full_action():
        action = ActionFactory(capacity=1)
        for _ in range(3):
            services.signup_confirm(signup=SignupFactory(action=action))

    add_full_action()
    with django_assert_max_num_queries(14):
        html = admin_client.get(admin_url(Action, "changelist")).content.decode()
    assert "1 / 1" in html
    for _ in range(10):
        add_full_action()
    with django_assert_max_num_queries(14):
        admin_client.get(admin_url(Action, "changelist"))


def test_seat_counts_link_to_the_actions_signups(admin_client):
    action = ActionFactory(capacity=5)
    html = admin_client.get(admin_url(Action, "changelist")).content.decode()
    assert f'href="/admin/actions/signup/?action__id__exact={action.pk}">0 / 5</a>' in html


def test_raising_capacity_in_the_admin_promotes_the_waitlist(admin_client, django_capture_on_commit_callbacks):
    from django.core import mail

    from actions import services

    action = ActionFactory(capacity=1)
    first, second = (services.signup_confirm(signup=SignupFactory(action=action)) for _ in range(2))
    assert second.status == "waitlisted"
    local_start = action.local_starts_at
    data = action_form_data(
        admin_client,
        action,
        capacity="2",
        starts_at_0=local_start.strftime("%Y-%m-%d"),
        starts_at_1=local_start.strftime("%H:%M"),
        ends_at_0=action.local_ends_at.strftime("%Y-%m-%d"),
        ends_at_1=action.local_ends_at.strftime("%H:%M"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(admin_url(Action, "change", action.pk), data).status_code == 302
    second.refresh_from_db()
    assert second.status == "confirmed"
    assert [m.to for m in mail.outbox] == [[second.email]]


def test_organizers_can_still_delete_a_signup_or_an_action_that_has_reminders(admin_client, vigil):
    signup = ConfirmedSignupFactory(action=vigil)
    dispatch_at(START - HOUR)
    assert Reminder.objects.filter(signup=signup).exists()
    url = reverse("admin:actions_signup_delete", args=[signup.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Signup.objects.filter(pk=signup.pk).exists()
    record(ConfirmedSignupFactory(action=vigil), status="sent")
    assert (
        admin_client.post(reverse("admin:actions_action_delete", args=[vigil.pk]), {"post": "yes"}).status_code == 302
    )
    assert not Action.objects.filter(pk=vigil.pk).exists()


def listed(response, lang, read):
    """What `read` gives for each row of the changelist in `response`, top to bottom, in `lang`."""
    with translation.override(lang):
        return [read(row) for row in response.context["cl"].result_list]


@pytest.mark.parametrize(("lang", "expected"), [("es", SPANISH_ORDER), ("en", ENGLISH_ORDER)])
def test_the_action_list_sorts_its_title_column_by_the_title_shown(admin_client, lang, expected):
    for en, es in NAMES_TO_SORT:
        ActionFactory(title_en=en, title_es=es)
    url, headers = admin_url(Action, "changelist"), {"accept-language": lang}
    title = admin_client.get(url).context["cl"].list_display.index("title")
    assert listed(admin_client.get(f"{url}?o={title}", headers=headers), lang, str) == expected
    assert listed(admin_client.get(f"{url}?o=-{title}", headers=headers), lang, str) == expected[::-1]


def test_the_action_list_sorts_its_city_column_by_the_city_name_shown(admin_client):
    for city in cities_to_sort():
        ActionFactory(city=city)
    url = admin_url(Action, "changelist")
    column = admin_client.get(url).context["cl"].list_display.index("city")
    response = admin_client.get(f"{url}?o={column}", headers={"accept-language": "es"})
    assert listed(response, "es", lambda action: str(action.city)) == SPANISH_ORDER


def test_the_signup_lists_city_filter_names_the_cities_in_the_order_shown(admin_client):
    for city in cities_to_sort():
        SignupFactory(action=ActionFactory(city=city))
    response = admin_client.get(admin_url(Signup, "changelist"), headers={"accept-language": "es"})
    (cities,) = [spec for spec in response.context["cl"].filter_specs if spec.field_path == "action__city"]
    assert [name for _pk, name in cities.lookup_choices] == SPANISH_ORDER


# Duplicating an action to other cities.
def test_duplicate_to_other_cities_makes_drafts_at_the_same_local_time(admin_client):
    new_york = CityFactory(country="US", time_zone="America/New_York", slug="new-york")
    san_francisco = CityFactory(country="US", time_zone="America/Los_Angeles", slug="san-francisco")
    tapachula = CityFactory(country="MX", time_zone="America/Mexico_City", slug="tapachula")
    demand, host = DemandFactory(), OrganizationFactory()
    action = ActionFactory(
        city=new_york,
        title_en="Vigil for the disappeared",
        title_es="Vigilia por las personas desaparecidas",
        starts_at=local(2023, 6, 30, 18, 0, "America/New_York"),
        ends_at=local(2023, 6, 30, 20, 0, "America/New_York"),
        venue="Union Square",
        capacity=50,
    )
    action.demands.add(demand)
    action.hosts.add(host)
    changelist = admin_url(Action, "changelist")

    confirm = admin_client.post(changelist, {"action": "duplicate_to_cities", "_selected_action": [action.pk]})
    assert confirm.status_code == 200 and "san-francisco" not in confirm.content.decode()
    assert Action.objects.count() == 1

    response = admin_client.post(
        changelist,
        {
            "action": "duplicate_to_cities",
            "_selected_action": [action.pk],
            "apply": "1",
            "cities": [san_francisco.pk, tapachula.pk, new_york.pk],
        },
        follow=True,
    )
    assert "Created 2 draft actions." in response.content.decode()
    copies = Action.objects.exclude(pk=action.pk).order_by("starts_at")
    assert [c.city for c in copies] == [tapachula, san_francisco]
    for copy in copies:
        assert copy.status == Action.Status.DRAFT
        assert (copy.local_starts_at.hour, copy.local_ends_at.hour) == (18, 20)
        assert copy.title_es == "Vigilia por las personas desaparecidas"
        assert copy.venue == "" and copy.capacity == 50
        assert list(copy.demands.all()) == [demand] and list(copy.hosts.all()) == [host]
    assert copies[1].starts_at == local(2023, 6, 30, 18, 0, "America/Los_Angeles")


def test_duplicate_offers_the_cities_in_the_order_of_the_names_shown(admin_client):
    # The form's queryset is made once, when the module is imported; the page sorts in its own language.
    action = ActionFactory(city=cities_to_sort()[0])
    response = admin_client.post(
        admin_url(Action, "changelist"),
        {"action": "duplicate_to_cities", "_selected_action": [action.pk]},
        headers={"accept-language": "es"},
    )
    labels = re.findall(r'<input type="checkbox" name="cities"[^>]*>\s*([^<]+?)\s*</label>', response.content.decode())
    assert labels == SPANISH_ORDER


def test_duplicate_reports_the_cities_it_skipped_in_the_order_of_the_names_shown(admin_client):
    action = ActionFactory()
    # Saved behind validation's back (the database allows a day's margin): its copies would end in 2100.
    Action.objects.filter(pk=action.pk).update(ends_at=datetime.datetime(2100, 1, 1, 12, tzinfo=datetime.UTC))
    cities = [city_named("Zacatecas", "Zacatecas"), city_named("Ávila", "Ávila")]
    response = admin_client.post(
        admin_url(Action, "changelist"),
        {
            "action": "duplicate_to_cities",
            "_selected_action": [action.pk],
            "apply": "1",
            "cities": [c.pk for c in cities],
        },
        headers={"accept-language": "es"},
        follow=True,
    )
    assert "Ávila; Zacatecas" in response.content.decode()


def test_duplicate_renames_the_city_in_both_titles(admin_client):
    tapachula = CityFactory(name_en="Tapachula", name_es="Tapachula", slug="tapachula")
    new_york = CityFactory(name_en="New York", name_es="Nueva York", slug="new-york", time_zone="America/New_York")
    action = ActionFactory(
        city=tapachula, title_en="Day of action in Tapachula", title_es="Jornada de acción en Tapachula"
    )
    admin_client.post(
        admin_url(Action, "changelist"),
        {"action": "duplicate_to_cities", "_selected_action": [action.pk], "apply": "1", "cities": [new_york.pk]},
    )
    copy = Action.objects.get(city=new_york)
    assert (copy.title_en, copy.title_es) == ("Day of action in New York", "Jornada de acción en Nueva York")
    assert copy.slug == "day-of-action-in-new-york"


def test_duplicate_twice_gives_unique_slugs(admin_client):
    action = ActionFactory(title_en="Vigil")
    city = CityFactory(slug="puebla")
    for _ in range(2):
        admin_client.post(
            admin_url(Action, "changelist"),
            {"action": "duplicate_to_cities", "_selected_action": [action.pk], "apply": "1", "cities": [city.pk]},
        )
    assert sorted(Action.objects.filter(city=city).values_list("slug", flat=True)) == ["vigil-puebla", "vigil-puebla-2"]


def test_duplicate_across_a_clock_change_keeps_the_duration(admin_client):
    mexico_city = CityFactory(time_zone="America/Mexico_City")
    new_york = CityFactory(country="US", time_zone="America/New_York", slug="nyc")
    action = ActionFactory(
        city=mexico_city,
        starts_at=local(2026, 3, 8, 2, 30, "America/Mexico_City"),
        ends_at=local(2026, 3, 8, 3, 15, "America/Mexico_City"),
    )
    response = admin_client.post(
        admin_url(Action, "changelist"),
        {"action": "duplicate_to_cities", "_selected_action": [action.pk], "apply": "1", "cities": [new_york.pk]},
    )
    assert response.status_code == 302
    copy = Action.objects.get(city=new_york)
    assert copy.ends_at - copy.starts_at == datetime.timedelta(minutes=45)
    assert copy.local_starts_at.strftime("%H:%M %Z") == "03:30 EDT"  # 2:30 does not occur that night


def test_duplicate_into_its_own_city_only_says_nothing_was_made(admin_client):
    action = ActionFactory()
    response = admin_client.post(
        admin_url(Action, "changelist"),
        {"action": "duplicate_to_cities", "_selected_action": [action.pk], "apply": "1", "cities": [action.city_id]},
        follow=True,
    )
    assert "No drafts created: an action is not copied into its own city." in response.content.decode()
    assert Action.objects.count() == 1


def test_duplicate_of_all_matching_actions_posts_no_ids(admin_client):
    ActionFactory.create_batch(3)
    city = CityFactory()
    changelist = admin_url(Action, "changelist")
    confirm = admin_client.post(
        changelist, {"action": "duplicate_to_cities", "select_across": "1", "_selected_action": ["1"], "index": "0"}
    )
    html = confirm.content.decode()
    assert 'name="select_across" value="1"' in html and html.count('name="_selected_action"') == 1
    first = Action.objects.first().pk
    admin_client.post(
        changelist,
        {
            "action": "duplicate_to_cities",
            "select_across": "1",
            "_selected_action": [first],
            "apply": "1",
            "cities": [city.pk],
        },
    )
    assert Action.objects.filter(city=city).count() == 3


def test_duplicate_uses_the_english_city_name_where_the_spanish_is_empty(admin_client):
    tucson = CityFactory(name_en="Tucson", name_es="", country="US", time_zone="America/Phoenix", slug="tucson")
    mexico_city = CityFactory(name_en="Mexico City", name_es="Ciudad de México", slug="cdmx")
    action = ActionFactory(city=tucson, title_en="March in Tucson", title_es="Marcha en Tucson")
    admin_client.post(
        admin_url(Action, "changelist"),
        {"action": "duplicate_to_cities", "_selected_action": [action.pk], "apply": "1", "cities": [mexico_city.pk]},
    )
    copy = Action.objects.get(city=mexico_city)
    assert (copy.title_en, copy.title_es) == ("March in Mexico City", "Marcha en Ciudad de México")


def test_duplicate_truncates_long_titles_and_reports_copies_that_break_a_rule(admin_client):
    mexico_city = CityFactory(time_zone="America/Mexico_City", name_en="Mexico City")
    san_francisco = CityFactory(country="US", time_zone="America/Los_Angeles", name_en="San Francisco")
    long = ActionFactory(city=mexico_city, title_en="x" * 188 + " Mexico City")
    # Saved behind validation's back (the database allows a day's margin): its copies would end in 2100.
    late = ActionFactory(city=mexico_city, title_en="Late")
    Action.objects.filter(pk=late.pk).update(ends_at=datetime.datetime(2100, 1, 1, 12, tzinfo=datetime.UTC))
    response = admin_client.post(
        admin_url(Action, "changelist"),
        {
            "action": "duplicate_to_cities",
            "_selected_action": [long.pk, late.pk],
            "apply": "1",
            "cities": [san_francisco.pk],
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Created 1 draft action." in html
    assert "Not copied into San Francisco" in html
    copy = Action.objects.get(city=san_francisco)
    assert copy.title_en == "x" * 188 + " San Francis"


# Signups.
def test_exporting_signups_needs_its_own_permission(client, admin_user):
    from django.contrib.auth.models import Permission, User

    from actions.models import Signup

    organizer = User.objects.create_user("host", password="pw-123456789", is_staff=True)
    organizer.user_permissions.add(*Permission.objects.filter(codename__in=["view_signup", "change_signup"]))
    client.force_login(organizer)
    SignupFactory()
    html = client.get(admin_url(Signup, "changelist")).content.decode()
    assert "export_csv" not in html and "mark_attended" in html
    organizer.user_permissions.remove(Permission.objects.get(codename="change_signup"))
    assert "mark_attended" not in client.get(admin_url(Signup, "changelist")).content.decode()
    organizer.user_permissions.add(Permission.objects.get(codename="export_signup"))
    assert "export_csv" in client.get(admin_url(Signup, "changelist")).content.decode()


def test_deleting_a_confirmed_signup_in_the_admin_promotes_the_waitlist(admin_client):
    from actions import services
    from actions.models import Signup

    action = ActionFactory(capacity=1)
    confirmed, waiting = (services.signup_confirm(signup=SignupFactory(action=action)) for _ in range(2))
    response = admin_client.post(admin_url(Signup, "delete", confirmed.pk), {"post": "yes"})
    assert response.status_code == 302
    assert Signup.objects.get(pk=waiting.pk).status == "confirmed"


def test_signup_change_form_keeps_action_and_email_and_checks_the_phone(admin_client):
    from actions.models import Signup

    signup = SignupFactory()
    html = admin_client.get(admin_url(Signup, "change", signup.pk)).content.decode()
    assert 'name="email"' not in html and 'name="action"' not in html
    response = admin_client.post(
        admin_url(Signup, "change", signup.pk), {"name": "Ana", "phone": "not a phone", "language": "es"}
    )
    assert response.status_code == 200 and list(response.context["adminform"].form.errors) == ["phone"]


def test_organizer_cancelling_a_signup_emails_the_volunteer_in_their_language(
    admin_client, django_capture_on_commit_callbacks
):
    from django.core import mail

    from actions import services
    from actions.models import Signup

    signup = services.signup_confirm(signup=SignupFactory(language="es"))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            admin_url(Signup, "changelist"), {"action": "cancel_signups", "_selected_action": [signup.pk]}
        )
    [message] = mail.outbox
    assert message.to == [signup.email] and message.subject.startswith("Su inscripción fue cancelada")


def test_organizers_find_flagged_signups_and_cancel_them_as_bots_which_promotes_the_waitlist(
    admin_client, django_capture_on_commit_callbacks
):
    from actions import services

    action = ActionFactory(capacity=2)
    bots = [
        services.signup_confirm(signup=SignupFactory(action=action, email=f"b{i}@catchall.example", flag="domain"))
        for i in range(3)  # the third waits: it must not be promoted, and emailed, as the others go
    ]
    waiting = services.signup_confirm(signup=SignupFactory(action=action, email="ana@example.org"))
    assert waiting.status == Signup.Status.WAITLISTED
    url = admin_url(Signup, "changelist") + "?flag__exact=domain"
    listed = admin_client.get(url, headers={"accept-language": "es"})
    assert {row.pk for row in listed.context["cl"].result_list} == {bot.pk for bot in bots}
    assert "Cancelar como bots, sin correo" in listed.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            admin_url(Signup, "changelist"),
            {"action": "cancel_as_bots", "_selected_action": [bot.pk for bot in bots]},
        )
    assert set(Signup.objects.filter(flag="domain").values_list("status", flat=True)) == {Signup.Status.CANCELLED}
    waiting.refresh_from_db()
    assert waiting.status == Signup.Status.CONFIRMED
    assert [message.to for message in outbox.outbox] == [["ana@example.org"]]  # her seat; not a word to the bots


# Outgoing mail, reminders among it.
def test_the_admin_lists_mail_by_kind_and_status_and_sends_failed_mail_again(admin_client, action):
    failed = OutgoingMail.objects.create(
        kind=MailKind.PROMOTED,
        signup=ConfirmedSignupFactory(action=action),
        status="failed",
        attempts=8,
        error="SMTPServerDisconnected: gone",
    )
    OutgoingMail.objects.create(kind=MailKind.CONFIRM, signup=SignupFactory(action=action), status="sent")
    url = reverse("admin:actions_outgoingmail_changelist")
    html = admin_client.get(url + "?kind__exact=promoted&status__exact=failed", headers={"accept-language": "es"})
    rows = html.context["cl"].result_list
    html = html.content.decode()
    assert "SMTPServerDisconnected: gone" in html and "Fallido" in html
    assert list(rows) == [failed]  # the other kind is filtered out
    response = admin_client.post(url, {"action": "retry", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.error) == ("queued", 0, "")
    mail.mail_dispatch()
    failed.refresh_from_db()
    assert failed.status == "sent" and len(outbox.outbox) == 1


def test_the_admin_list_does_not_grow_its_queries_with_rows(admin_client, django_assert_max_num_queries):
    for _ in range(30):
        OutgoingMail.objects.create(kind=MailKind.CONFIRM, signup=SignupFactory(), status="sent")
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("admin:actions_outgoingmail_changelist")).status_code == 200


def test_the_admin_lists_failed_reminders_with_their_error_and_sends_them_again(admin_client, vigil):
    signup = ConfirmedSignupFactory(action=vigil)
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


def test_organizers_cannot_delete_reminders_which_would_send_them_again(admin_client, vigil):
    reminder = record(ConfirmedSignupFactory(action=vigil), status="sent")
    assert admin_client.get(reverse("admin:actions_outgoingmail_delete", args=[reminder.pk])).status_code == 403
    changelist = reverse("admin:actions_outgoingmail_changelist")
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [reminder.pk], "post": "yes"})
    assert Reminder.objects.filter(pk=reminder.pk).exists()


@pytest.mark.parametrize(
    "new_start", [START.replace(year=2026, month=1), START + HOUR], ids=["action-started", "reminder-for-an-old-start"]
)
def test_sending_again_leaves_a_reminder_no_longer_wanted_and_says_so(admin_client, vigil, new_start):
    failed = record(ConfirmedSignupFactory(action=vigil), status="failed", attempts=8)
    Action.objects.filter(pk=vigil.pk).update(starts_at=new_start, ends_at=new_start + HOUR)
    response = admin_client.post(
        reverse("admin:actions_outgoingmail_changelist"),
        {"action": "retry", "_selected_action": [failed.pk]},
        follow=True,
    )
    assert "are not sent again" in response.content.decode()
    assert Reminder.objects.get(pk=failed.pk).status == "failed"
