import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from actions import mail
from actions.models import AccessLog, Action, Campaign, City, LocalHost, OutgoingMail, Reminder, Suppression
from tests.admin_forms import action_form_data
from tests.factories import (
    ActionFactory,
    CityFactory,
    DemandFactory,
    OrganizationFactory,
    OutcomeFactory,
    SignupFactory,
    local,
)

pytestmark = pytest.mark.django_db

OUR_MODELS = [m for m in admin.site._registry if m._meta.app_label in ("actions", "demands")]


@pytest.fixture
def rows():
    action = ActionFactory()
    action.hosts.add(OrganizationFactory())
    action.demands.add(DemandFactory())
    OutcomeFactory(campaign=action.campaign).actions.add(action)
    signup = SignupFactory(action=action)
    Reminder.objects.create(signup=signup, minutes_before=120, action_starts_at=action.starts_at)
    LocalHost.objects.create(user=User.objects.create_user("host")).cities.add(action.city)
    AccessLog.objects.create(username="admin", kind="view", signup=signup, signup_count=1)
    mail.suppression_record(address="gone@example.org", reason=Suppression.Reason.BOUNCED, provider="postmark")
    return action


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_of_ours_is_in_the_admin():
    assert {m.__name__ for m in OUR_MODELS} == {
        "City",
        "Organization",
        "Campaign",
        "Action",
        "Demand",
        "Outcome",
        "Signup",
        "OutgoingMail",
        "Suppression",
        "LocalHost",
        "AccessLog",
    }


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("language", ["en", "es"])
def test_changelist_add_and_change_pages_open(admin_client, rows, model, language):
    obj = model.objects.first()
    # Mail, undeliverable addresses and access logs are written by the site, never added by hand.
    add = [] if model in (OutgoingMail, Suppression, AccessLog) else [_url(model, "add")]
    for url in (_url(model, "changelist"), *add, _url(model, "change", obj.pk)):
        response = admin_client.get(url, headers={"accept-language": language})
        assert response.status_code == 200, url


def test_changelist_filters_and_search_work(admin_client, rows):
    url = _url(Action, "changelist")
    for query in (
        "?status__exact=published",
        "?city__country=MX",
        "?mode=online",
        "?missing=es",
        f"?q={rows.title_en}",
        f"?campaign__id__exact={rows.campaign_id}",
    ):
        assert admin_client.get(url + query).status_code == 200, query


def test_missing_translation_column_and_filter(admin_client):
    complete = CityFactory(name_en="Puebla", name_es="Puebla", region_en="", region_es="")
    missing = CityFactory(name_en="New York", name_es="", region_en="New York", region_es="")
    html = admin_client.get(_url(City, "changelist") + "?missing=es").content.decode()
    assert "New York" in html and complete.slug not in html
    assert "Missing Spanish" in html
    assert missing.slug not in admin_client.get(_url(City, "changelist") + "?missing=en").content.decode()


def test_organizer_edits_the_spanish_title_and_sees_it_on_the_spanish_page(admin_client, client):
    action = ActionFactory(
        city=CityFactory(time_zone="America/Mexico_City"),
        starts_at=local(2023, 6, 30, 18, 0, "America/Mexico_City"),
        ends_at=local(2023, 6, 30, 20, 0, "America/Mexico_City"),
    )
    url = _url(Action, "change", action.pk)
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


@pytest.mark.parametrize(
    ("zone", "day", "start", "end", "field", "message"),
    [
        (
            "America/Mexico_City",
            "2023-06-30",
            "18:00",
            "17:00",
            "ends_at",
            "La acción debe terminar después de empezar.",
        ),
        ("America/New_York", "2026-03-08", "02:30", "04:00", "starts_at", "Esta hora no existe en America/New_York"),
    ],
    ids=["end-before-start", "clocks-skip-the-start"],
)
def test_admin_refuses_bad_times_next_to_the_field_in_spanish(admin_client, zone, day, start, end, field, message):
    action = ActionFactory(city=CityFactory(time_zone=zone))
    before = (action.starts_at, action.ends_at)
    data = action_form_data(admin_client, action, starts_at_0=day, starts_at_1=start, ends_at_0=day, ends_at_1=end)
    response = admin_client.post(_url(Action, "change", action.pk), data, headers={"accept-language": "es"})
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == [field]
    assert message in response.content.decode()
    action.refresh_from_db()
    assert (action.starts_at, action.ends_at) == before


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
    changelist = _url(Action, "changelist")

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


def test_duplicate_renames_the_city_in_both_titles(admin_client):
    tapachula = CityFactory(name_en="Tapachula", name_es="Tapachula", slug="tapachula")
    new_york = CityFactory(name_en="New York", name_es="Nueva York", slug="new-york", time_zone="America/New_York")
    action = ActionFactory(
        city=tapachula, title_en="Day of action in Tapachula", title_es="Jornada de acción en Tapachula"
    )
    admin_client.post(
        _url(Action, "changelist"),
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
            _url(Action, "changelist"),
            {"action": "duplicate_to_cities", "_selected_action": [action.pk], "apply": "1", "cities": [city.pk]},
        )
    assert sorted(Action.objects.filter(city=city).values_list("slug", flat=True)) == ["vigil-puebla", "vigil-puebla-2"]


def test_campaign_admin_rejects_bad_dates_and_time_zone_next_to_the_fields(admin_client):
    response = admin_client.post(
        _url(Campaign, "add"),
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


def test_admin_language_tabs_load_nothing_from_another_host(admin_client, rows):
    html = admin_client.get(_url(Action, "change", rows.pk)).content.decode()
    assert "vendor/jquery-ui/jquery-ui.min.js" in html
    assert "tabbed_translation_fields.js" in html
    assert re.findall(r'(?:src|href)="(?:https?:)?//[^"]*"', html) == []


def test_admin_reads_typed_times_only_in_the_actions_zone(admin_client, client):
    # 2021-04-04 02:30 did not exist in Mexico City (the server's zone then had DST); it did in New York.
    action = ActionFactory(city=CityFactory(country="US", time_zone="America/New_York"))
    data = action_form_data(
        admin_client, action, starts_at_0="2021-04-04", starts_at_1="02:30", ends_at_0="2021-04-04", ends_at_1="04:00"
    )
    assert admin_client.post(_url(Action, "change", action.pk), data).status_code == 302
    action.refresh_from_db()
    assert action.starts_at == local(2021, 4, 4, 2, 30, "America/New_York")
    assert "April 4, 2021, 2:30 AM EDT" in client.get(f"/en/actions/{action.slug}/").content.decode()


@pytest.mark.parametrize(("year", "field", "time"), [("9999", "ends_at_0", "23:59"), ("0001", "starts_at_0", "00:00")])
def test_admin_refuses_years_that_cannot_be_shown(admin_client, year, field, time):
    # At the very ends of the calendar, in a zone far from UTC, converting would overflow.
    action = ActionFactory(city=CityFactory(time_zone="Asia/Tokyo" if year == "0001" else "America/New_York"))
    data = action_form_data(
        admin_client, action, starts_at_0="2027-06-30", starts_at_1="18:00", ends_at_0="2027-06-30", ends_at_1="20:00"
    )
    data[field] = f"{year}-{'12-31' if year == '9999' else '01-01'}"
    data[field.replace("_0", "_1")] = time
    response = admin_client.post(_url(Action, "change", action.pk), data)
    assert response.status_code == 200
    assert "Enter a date between 2000 and 2099." in response.content.decode()
    assert admin_client.get(_url(Action, "changelist")).status_code == 200


def test_duplicate_across_a_clock_change_keeps_the_duration(admin_client):
    mexico_city = CityFactory(time_zone="America/Mexico_City")
    new_york = CityFactory(country="US", time_zone="America/New_York", slug="nyc")
    action = ActionFactory(
        city=mexico_city,
        starts_at=local(2026, 3, 8, 2, 30, "America/Mexico_City"),
        ends_at=local(2026, 3, 8, 3, 15, "America/Mexico_City"),
    )
    response = admin_client.post(
        _url(Action, "changelist"),
        {"action": "duplicate_to_cities", "_selected_action": [action.pk], "apply": "1", "cities": [new_york.pk]},
    )
    assert response.status_code == 302
    copy = Action.objects.get(city=new_york)
    assert copy.ends_at - copy.starts_at == datetime.timedelta(minutes=45)
    assert copy.local_starts_at.strftime("%H:%M %Z") == "03:30 EDT"  # 2:30 does not occur that night


def test_duplicate_into_its_own_city_only_says_nothing_was_made(admin_client):
    action = ActionFactory()
    response = admin_client.post(
        _url(Action, "changelist"),
        {"action": "duplicate_to_cities", "_selected_action": [action.pk], "apply": "1", "cities": [action.city_id]},
        follow=True,
    )
    assert "No drafts created: an action is not copied into its own city." in response.content.decode()
    assert Action.objects.count() == 1


def test_duplicate_of_all_matching_actions_posts_no_ids(admin_client):
    ActionFactory.create_batch(3)
    city = CityFactory()
    changelist = _url(Action, "changelist")
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
        _url(Action, "changelist"),
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
        _url(Action, "changelist"),
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


def test_action_list_shows_seats_and_waitlist_without_a_query_per_row(admin_client, django_assert_max_num_queries):
    from actions import services

    def add_full_action():
        action = ActionFactory(capacity=1)
        for _ in range(3):
            services.signup_confirm(signup=SignupFactory(action=action))

    add_full_action()
    with django_assert_max_num_queries(14):
        html = admin_client.get(_url(Action, "changelist")).content.decode()
    assert "1 / 1" in html
    for _ in range(10):
        add_full_action()
    with django_assert_max_num_queries(14):
        admin_client.get(_url(Action, "changelist"))


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
        assert admin_client.post(_url(Action, "change", action.pk), data).status_code == 302
    second.refresh_from_db()
    assert second.status == "confirmed"
    assert [m.to for m in mail.outbox] == [[second.email]]


def test_signup_admin_marks_attendance_and_exports_neutralized_csv(admin_client):
    from actions import services
    from actions.models import Signup

    action = ActionFactory(title_en="Vigil")
    evil = services.signup_confirm(
        signup=SignupFactory(action=action, name='=HYPERLINK("http://x")', phone="+525512345678")
    )
    services.signup_confirm(signup=SignupFactory(action=action, name="-2+3"))
    changelist = _url(Signup, "changelist")
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


def test_exporting_signups_needs_its_own_permission(client, admin_user):
    from django.contrib.auth.models import Permission, User

    from actions.models import Signup

    organizer = User.objects.create_user("host", password="pw-123456789", is_staff=True)
    organizer.user_permissions.add(*Permission.objects.filter(codename__in=["view_signup", "change_signup"]))
    client.force_login(organizer)
    SignupFactory()
    html = client.get(_url(Signup, "changelist")).content.decode()
    assert "export_csv" not in html and "mark_attended" in html
    organizer.user_permissions.remove(Permission.objects.get(codename="change_signup"))
    assert "mark_attended" not in client.get(_url(Signup, "changelist")).content.decode()
    organizer.user_permissions.add(Permission.objects.get(codename="export_signup"))
    assert "export_csv" in client.get(_url(Signup, "changelist")).content.decode()


def test_deleting_a_confirmed_signup_in_the_admin_promotes_the_waitlist(admin_client):
    from actions import services
    from actions.models import Signup

    action = ActionFactory(capacity=1)
    confirmed, waiting = (services.signup_confirm(signup=SignupFactory(action=action)) for _ in range(2))
    response = admin_client.post(_url(Signup, "delete", confirmed.pk), {"post": "yes"})
    assert response.status_code == 302
    assert Signup.objects.get(pk=waiting.pk).status == "confirmed"


def test_signup_change_form_keeps_action_and_email_and_checks_the_phone(admin_client):
    from actions.models import Signup

    signup = SignupFactory()
    html = admin_client.get(_url(Signup, "change", signup.pk)).content.decode()
    assert 'name="email"' not in html and 'name="action"' not in html
    response = admin_client.post(
        _url(Signup, "change", signup.pk), {"name": "Ana", "phone": "not a phone", "language": "es"}
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
        admin_client.post(_url(Signup, "changelist"), {"action": "cancel_signups", "_selected_action": [signup.pk]})
    [message] = mail.outbox
    assert message.to == [signup.email] and message.subject.startswith("Su inscripción fue cancelada")


def test_seat_counts_link_to_the_actions_signups(admin_client):
    action = ActionFactory(capacity=5)
    html = admin_client.get(_url(Action, "changelist")).content.decode()
    assert f'href="/admin/actions/signup/?action__id__exact={action.pk}">0 / 5</a>' in html
