"""hosting/views/proposals.py, hosting/forms/proposals.py and hosting/places.py: a would-be host's
proposal form, its confirm link and its edit link, read as a visitor reads them; and the City a
proposal's place becomes."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from actions.models import Action, City
from hosting import services
from hosting.models import Proposal
from hosting.places import city_for_location, city_match
from hosting.tokens import proposal_confirm_token, proposal_edit_token
from places.search import locate
from tests.factories import CampaignFactory, CityFactory, ProposalFactory, place
from tests.pages import read

pytestmark = pytest.mark.django_db

HOST_ADDRESS = "10.0.0.1"


@pytest.fixture
def campaign():
    return CampaignFactory(
        slug="spring", title_en="Spring day", proposals_open_on=timezone.localdate() - datetime.timedelta(days=1)
    )


@pytest.fixture
def tapachula():
    """Tapachula in GeoNames' cities, with a postal code in its centre."""
    city = place("Tapachula", "Chiapas", 14.90541, -92.25891, population=353706, time_zone="America/Mexico_City")
    place("Tapachula Centro", "Chiapas", 14.9087, -92.2613, postal_code="30700")
    return city


@pytest.fixture
def springfields():
    """Two Springfields of about the same size: a choice to make. Illinois keeps Central time."""
    place("Springfield", "Illinois", 39.80172, -89.64371, country="US", population=114394, time_zone="America/Chicago")
    place("Springfield", "Missouri", 37.21533, -93.29824, country="US", population=166810, time_zone="America/Chicago")


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def form(campaign, lang="es", **changes):
    """What a host's browser posts: a vigil in Tapachula in ten days, 18:00 to 20:00."""
    data = {
        "campaign": campaign.slug,
        f"title_{lang}": "Vigilia por la paz" if lang == "es" else "Vigil for peace",
        f"description_{lang}": "Con velas." if lang == "es" else "With candles.",
        "kind": Action.Kind.VIGIL,
        "place": "Tapachula",
        "venue": "Parque Central",
        "address": "",
        "start_date": in_days(10),
        "start_time": "18:00",
        "end_time": "20:00",
        "end_date": "",
        "capacity": "",
        "host_name": "Rosa Pérez",
        "email": "rosa@example.org",
        "phone": "",
        "organization": "",
        "consent": "on",
    }
    return {name: value for name, value in {**data, **changes}.items() if value is not None}


def propose(client, campaign, lang="es", address=HOST_ADDRESS, **changes):
    return client.post(f"/{lang}/host/", form(campaign, lang, **changes), REMOTE_ADDR=address)


def error_of(page: str, field: str) -> str:
    """The message shown next to `field` (empty if none)."""
    found = re.search(
        rf'<p class="error" id="id_{field}_error">(.*?)</p>|id="id_{field}_error">\s*<li>(.*?)</li>', page
    )
    return (found.group(1) or found.group(2)) if found else ""


def confirm_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\w\w/host/confirm/\S+/)", message.body).group(1)


# The form


@pytest.mark.parametrize(
    ("lang", "own", "other", "heading"),
    [("en", "en", "es", "Propose an action"), ("es", "es", "en", "Proponga una acción")],
)
def test_the_form_asks_for_the_texts_in_the_pages_language_first(
    client, campaign, tapachula, lang, own, other, heading
):
    response = client.get(f"/{lang}/host/")
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert read(page)[0] == lang
    assert 'name="csrfmiddlewaretoken"' in page and 'class="hp" aria-hidden="true"' in page
    assert re.search(rf'name="title_{own}" maxlength="200" required', page)
    assert not re.search(rf'name="title_{other}"[^>]* required', page)
    assert page.index(f'name="title_{own}"') < page.index(f'name="title_{other}"')
    # One campaign open: nothing to choose, the page names it.
    assert '<input type="hidden" name="campaign" value="spring"' in page and '<select name="campaign"' not in page
    if lang == "en":
        assert "Title (English)" in page and "Title in Spanish (optional)" in page
    else:  # with the catalogue compiled
        assert heading in page and "Título (español)" in page and "Título en inglés (opcional)" in page


def test_several_campaigns_are_a_choice_and_the_link_from_a_campaign_chooses_it(client, campaign):
    other = CampaignFactory(slug="autumn", proposals_open_on=timezone.localdate())
    CampaignFactory(slug="closed-one")  # takes no proposals
    page = client.get("/en/host/?campaign=autumn").content.decode()
    assert '<select name="campaign"' in page and "closed-one" not in page
    assert '<option value="autumn" selected>' in page and '<option value="spring">' in page
    assert other.title in page
    unchosen = client.get("/en/host/?campaign=closed-one").content.decode()
    assert '<option value="" selected>Choose a campaign</option>' in unchosen


def test_the_form_page_reads_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for _n in range(5):
        CampaignFactory(proposals_open_on=timezone.localdate())
    with django_assert_max_num_queries(2):
        response = client.get("/es/host/")
    campaigns = re.search(r'<select name="campaign".*?</select>', response.content.decode(), re.S).group(0)
    assert campaigns.count("<option value=") == 6  # five and "choose one"


# Sending it


def test_a_valid_spanish_proposal_waits_for_its_email_and_the_city_is_made(client, campaign, tapachula, committed):
    with committed():
        response = propose(client, campaign, phone="962 123 4567", capacity="40")
    assert response.status_code == 302 and response["Location"] == "/es/host/sent/"
    proposal = Proposal.objects.get()
    assert (proposal.status, proposal.language, proposal.title_es, proposal.title_en) == (
        "unconfirmed",
        "es",
        "Vigilia por la paz",
        "",
    )
    assert proposal.submitted["title_es"] == "Vigilia por la paz"
    assert proposal.phone == "+529621234567"  # read as a Mexican number: the place's country
    assert proposal.capacity == 40 and proposal.venue == "Parque Central" and proposal.address == ""
    zone = zoneinfo.ZoneInfo("America/Mexico_City")
    assert proposal.starts_at.astimezone(zone).strftime("%H:%M") == "18:00"
    assert proposal.ends_at - proposal.starts_at == datetime.timedelta(hours=2)
    city = proposal.city
    assert (city.name_en, city.region_en, city.country, city.time_zone, city.slug) == (
        "Tapachula",
        "Chiapas",
        "MX",
        "America/Mexico_City",
        "tapachula-chiapas",
    )
    [message] = mail.outbox
    assert message.to == ["rosa@example.org"]
    assert confirm_link(message).startswith("/es/host/confirm/")
    assert "rosa" not in confirm_link(message)
    sent = client.get(response["Location"])
    assert sent.status_code == 200 and "no-store" in sent["Cache-Control"]


def test_an_online_proposal_is_in_the_campaigns_time_zone_without_a_place(client, campaign, committed):
    campaign.time_zone = "America/Tijuana"
    campaign.save()
    with committed():
        response = propose(client, campaign, lang="en", online="on", place="", venue="Ignored", start_time="09:30")
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.city is None and proposal.venue == "" and proposal.language == "en"
    assert proposal.starts_at.astimezone(zoneinfo.ZoneInfo("America/Tijuana")).strftime("%H:%M") == "09:30"
    assert len(mail.outbox) == 1


def test_the_honeypot_saves_nothing_but_looks_the_same(client, campaign, tapachula, committed):
    with committed():
        response = propose(client, campaign, website="http://spam.example")
    assert response.status_code == 302 and response["Location"] == "/es/host/sent/"
    assert not Proposal.objects.exists() and not City.objects.exists() and not mail.outbox


# Bad input, next to its field, nothing typed lost


@pytest.mark.parametrize(
    ("lang", "changes", "field", "message"),
    [
        ("en", {"title_en": ""}, "title_en", "This field is required."),
        ("es", {"title_es": ""}, "title_es", "Este campo es obligatorio."),
        ("en", {"email": "rosa@"}, "email", "Enter a valid email address."),
        ("es", {"email": "rosa@"}, "email", "Introduzca una dirección de correo electrónico válida."),
        ("en", {"end_time": "17:00"}, "end_time", "The action must end after it starts."),
        ("es", {"end_time": "17:00"}, "end_time", "La acción debe terminar después de empezar."),
        ("en", {"start_date": in_days(-2)}, "start_date", "This time has passed: the action must start in the future."),
        ("en", {"start_date": "2101-06-30"}, "start_date", "Enter a date between 2000 and 2099."),
        ("es", {"start_date": "2101-06-30"}, "start_date", "Introduzca una fecha entre 2000 y 2099."),
        ("en", {"consent": None}, "consent", "Tick this box to send your proposal"),
    ],
)
def test_bad_input_is_told_next_to_its_field_and_the_rest_is_kept(
    client, campaign, tapachula, lang, changes, field, message
):
    response = propose(client, campaign, lang=lang, **changes)
    page = response.content.decode()
    assert response.status_code == 400
    assert error_of(page, field).startswith(message), error_of(page, field)
    assert 'role="alert"' in page and read(page)[0] == lang
    assert 'value="Rosa Pérez"' in page and 'value="Parque Central"' in page and 'value="18:00"' in page
    assert not Proposal.objects.exists()


def test_a_start_earlier_today_has_passed_at_its_time(client, campaign, tapachula):
    now = timezone.now().astimezone(zoneinfo.ZoneInfo("America/Mexico_City"))
    with time_machine.travel(now.replace(hour=12, minute=0), tick=False):
        page = propose(
            client, campaign, lang="en", start_date=now.date().isoformat(), start_time="09:00"
        ).content.decode()
        assert error_of(page, "start_time") == "This time has passed: the action must start in the future."
        later = propose(client, campaign, lang="en", start_date=now.date().isoformat(), start_time="15:00")
    assert later.status_code == 302


def test_an_end_on_another_day_is_told_on_the_end_date(client, campaign, tapachula):
    page = propose(client, campaign, lang="en", end_date=in_days(9)).content.decode()
    assert error_of(page, "end_date") == "The action must end after it starts."
    overnight = propose(client, campaign, lang="en", start_time="22:00", end_time="02:00", end_date=in_days(11))
    assert overnight.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.ends_at - proposal.starts_at == datetime.timedelta(hours=4)


def spring_forward() -> datetime.date:
    """Next year's second Sunday of March: US clocks skip 2:00 to 3:00."""
    march = datetime.date(timezone.localdate().year + 1, 3, 1)
    first_sunday = march + datetime.timedelta(days=(6 - march.weekday()) % 7)
    return first_sunday + datetime.timedelta(days=7)


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "This time does not exist in America/Chicago: the clocks skip it that day."),
        ("es", "Esta hora no existe en America/Chicago: ese día los relojes se la saltan."),
    ],
)
def test_a_time_the_clocks_skip_is_refused_in_the_places_zone(client, campaign, springfields, lang, message):
    day = spring_forward().isoformat()
    data = {"place": "Springfield, Illinois", "start_date": day, "start_time": "02:30", "end_time": "04:00"}
    response = propose(client, campaign, lang=lang, **data)
    page = response.content.decode()
    assert response.status_code == 400 and error_of(page, "start_time") == message
    assert "America/Chicago" in page  # the zone is named once the place is known
    assert propose(client, campaign, lang=lang, **{**data, "start_time": "03:30"}).status_code == 302


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "We could not find “Tapachulx”."),
        ("es", "No encontramos «Tapachulx»."),
    ],
)
def test_a_place_not_found_offers_what_it_may_have_meant(client, campaign, tapachula, lang, message):
    response = propose(client, campaign, lang=lang, place="Tapachulx", start_time="02:30")
    page = response.content.decode()
    assert response.status_code == 400 and error_of(page, "place").startswith(message)
    assert '<input type="radio" name="place_choice" value="Tapachula, Chiapas, MX"' in page
    # Without a place the clock is unknown: the times wait, as typed.
    assert error_of(page, "start_time") == "" and 'value="02:30"' in page
    assert 'value="Tapachulx"' in page


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "There is more than one “Springfield”. Which one?"),
        ("es", "Hay más de un lugar llamado «Springfield». ¿Cuál?"),
    ],
)
def test_an_ambiguous_place_offers_its_choices_and_the_chosen_one_is_taken(
    client, campaign, springfields, lang, message
):
    response = propose(client, campaign, lang=lang, place="Springfield")
    page = response.content.decode()
    assert response.status_code == 400 and error_of(page, "place") == message
    choices = re.findall(r'name="place_choice" value="([^"]+)"', page)
    assert sorted(choices) == ["Springfield, Illinois, US", "Springfield, Missouri, US"]
    chosen = propose(client, campaign, lang=lang, place="Springfield", place_choice="Springfield, Missouri, US")
    assert chosen.status_code == 302
    assert Proposal.objects.get().city.region_en == "Missouri"


def test_once_the_place_is_found_the_form_names_its_time_zone(client, campaign, tapachula):
    page = propose(client, campaign, lang="en", title_en="").content.decode()
    assert "Found: Tapachula, Chiapas, Mexico." in page
    assert re.search(r"Times are in the local time of Tapachula, Chiapas: America/Mexico_City \(CST\)", page)
    assert not City.objects.exists()  # a new city is made only with the proposal


# Closed campaigns


@pytest.mark.parametrize(("lang", "text"), [("en", "No campaign takes proposals right now"), ("es", "Ninguna campaña")])
def test_without_a_campaign_taking_proposals_the_page_says_so(client, lang, text):
    campaign = CampaignFactory(slug="spring")  # proposals never opened
    response = client.get(f"/{lang}/host/")
    page = response.content.decode()
    assert response.status_code == 200 and text in page and 'name="title_en"' not in page
    assert f'href="/{lang}/campaigns/"' in page
    assert propose(client, campaign, lang=lang).status_code == 409
    assert not Proposal.objects.exists()


def test_a_campaign_closed_since_the_form_opened_is_refused_next_to_its_field(client, campaign, tapachula):
    CampaignFactory(slug="autumn", proposals_open_on=timezone.localdate())
    campaign.proposals_close_on = timezone.localdate() - datetime.timedelta(days=1)
    campaign.save()
    response = propose(client, campaign, lang="en")
    page = response.content.decode()
    assert response.status_code == 400
    assert error_of(page, "campaign") == "This campaign does not take proposals now. Choose another."
    assert '<option value="autumn">' in page
    assert not Proposal.objects.exists()


def test_a_campaign_that_closes_as_the_proposal_is_saved_gets_the_closed_page(client, campaign, tapachula, monkeypatch):
    # The service's own check, after the form's: the page says proposals are closed, nothing is kept.
    monkeypatch.setattr(type(campaign), "accepts_proposals", lambda self, today=None: False)
    response = propose(client, campaign, lang="en")
    assert response.status_code == 409 and "No campaign takes proposals right now" in response.content.decode()
    assert not Proposal.objects.exists() and not City.objects.exists()


# Limits


def challenge_answer(response) -> dict:
    from captcha.models import CaptchaStore

    key = re.search(r'name="challenge_0" value="(\w+)"', response.content.decode()).group(1)
    return {"challenge_0": key, "challenge_1": CaptchaStore.objects.get(hashkey=key).response}


def test_past_the_rate_per_address_the_form_asks_for_the_challenge_and_keeps_what_was_typed(
    client, campaign, tapachula, settings
):
    settings.SIGNUP_RATE = "1/h"
    assert propose(client, campaign).status_code == 302
    response = propose(client, campaign, email="otra@example.org")
    page = response.content.decode()
    assert response.status_code == 200 and 'name="challenge_1"' in page
    assert 'value="otra@example.org"' in page and 'value="Vigilia por la paz"' in page
    assert "Tapachula, Chiapas" in page  # what the form found is still said
    assert Proposal.objects.count() == 1
    wrong = propose(client, campaign, email="otra@example.org", **{**challenge_answer(response), "challenge_1": "x"})
    assert wrong.status_code == 400 and 'name="challenge_1"' in wrong.content.decode()
    answered = propose(client, campaign, email="otra@example.org", **challenge_answer(wrong))
    assert answered.status_code == 302 and Proposal.objects.count() == 2


def test_past_the_ceiling_per_address_proposals_are_refused(client, campaign, tapachula, settings):
    settings.SIGNUP_RATE_MAX = "2/h"
    assert [propose(client, campaign).status_code for _ in range(3)] == [302, 302, 429]
    assert propose(client, campaign, address="10.9.9.9").status_code == 302
    # Forms sent back with errors count for nothing.
    assert propose(client, campaign, address="10.9.9.9", email="bad").status_code == 400


# The confirm link


def unconfirmed(campaign, **changes) -> Proposal:
    proposal = ProposalFactory.build(campaign=campaign, city=CityFactory(name_en="Tapachula", region_en="Chiapas"))
    for name, value in changes.items():
        setattr(proposal, name, value)
    return services.proposal_submit(proposal=proposal)


def test_the_confirm_link_shows_a_button_and_only_the_post_confirms(client, campaign):
    proposal = unconfirmed(campaign)
    url = f"/es/host/confirm/{proposal_confirm_token(proposal)}/"
    page = client.get(url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert '<button type="submit">' in page.content.decode() and 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert Proposal.objects.get().status == Proposal.Status.UNCONFIRMED
    done = client.post(url)
    assert done.status_code == 200 and '<button type="submit">' not in done.content.decode()
    confirmed = Proposal.objects.get()
    assert confirmed.status == Proposal.Status.SUBMITTED and confirmed.confirmed_at is not None
    again = client.get(url.replace("/es/", "/en/"))
    assert "Your proposal is with the coordinators. You will hear from them by email." in again.content.decode()
    client.post(url)
    assert Proposal.objects.get().confirmed_at == confirmed.confirmed_at


def test_a_confirmation_after_the_campaign_closed_says_so(client, campaign):
    proposal = unconfirmed(campaign)
    campaign.proposals_open_on = None
    campaign.save()
    response = client.post(f"/en/host/confirm/{proposal_confirm_token(proposal)}/")
    assert response.status_code == 409 and "stopped taking proposals" in response.content.decode()
    assert Proposal.objects.get().status == Proposal.Status.UNCONFIRMED


@pytest.mark.parametrize(("lang", "heading"), [("en", "This link does not work"), ("es", "Este enlace no funciona")])
def test_bad_and_expired_links_get_a_clear_page(client, campaign, lang, heading):
    proposal = unconfirmed(campaign)
    good = proposal_confirm_token(proposal)
    for url in (
        f"/{lang}/host/confirm/nonsense/",
        f"/{lang}/host/confirm/{good[:-2]}xx/",
        f"/{lang}/host/confirm/{proposal_edit_token(proposal)}/",  # an edit link cannot confirm
        f"/{lang}/host/proposal/{good}/",  # nor a confirm link edit
    ):
        response = client.get(url)
        assert response.status_code == 404 and heading in response.content.decode(), url
        assert read(response.content.decode())[0] == lang
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49)):
        assert client.get(f"/{lang}/host/confirm/{good}/").status_code == 404
    assert client.post(f"/{lang}/host/confirm/{good}/").status_code == 200  # within the hours, it works


# The edit link


def sent_back(campaign, message="Indique la dirección, por favor.", **changes) -> Proposal:
    proposal = unconfirmed(campaign, **changes)
    services.proposal_confirm(proposal=proposal)
    return services.proposal_request_changes(proposal=proposal, user=None, message=message)


def test_the_edit_link_shows_the_coordinators_message_and_the_proposal_to_correct(client, campaign, tapachula):
    proposal = sent_back(campaign, message="Indique la dirección.\nY la hora exacta.")
    url = f"/es/host/proposal/{proposal_edit_token(proposal)}/"
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Indique la dirección.<br>Y la hora exacta." in page
    local = proposal.starts_at.astimezone(proposal.zone)
    assert f'value="{local:%Y-%m-%d}"' in page and f'value="{local:%H:%M}"' in page
    assert 'value="Vigilia por la paz"' in page and 'value="Tapachula, Chiapas, MX"' in page
    assert 'name="consent"' not in page and 'name="campaign"' not in page and 'name="website"' not in page

    data = {
        "title_es": "Vigilia por la paz",
        "description_es": "Con velas y flores.",
        "kind": Action.Kind.VIGIL,
        "place": "Tapachula, Chiapas, MX",
        "venue": "Parque Central",
        "address": "Av. Central 1",
        "start_date": f"{local:%Y-%m-%d}",
        "start_time": f"{local:%H:%M}",
        "end_time": f"{proposal.ends_at.astimezone(proposal.zone):%H:%M}",
        "host_name": "Rosa Pérez",
        "email": "victim@example.net",  # not a field here: the decision goes to the address confirmed
    }
    assert 'name="email"' not in page
    bad = client.post(url, {**data, "description_es": ""})
    assert bad.status_code == 400 and error_of(bad.content.decode(), "description_es")
    done = client.post(url, data)
    assert done.status_code == 302 and done["Location"] == url
    corrected = Proposal.objects.get()
    assert corrected.status == Proposal.Status.SUBMITTED and corrected.address == "Av. Central 1"
    assert corrected.email == "rosa@example.org"
    assert corrected.city == proposal.city and corrected.starts_at == proposal.starts_at  # unchanged, kept
    assert corrected.submitted["description_es"] == "Con velas y flores."
    after = client.get(url).content.decode()
    assert 'name="title_es"' not in after and 'role="status"' in after


def test_a_correction_may_move_the_action_to_another_city(client, campaign, springfields):
    proposal = sent_back(campaign)
    url = f"/en/host/proposal/{proposal_edit_token(proposal)}/"
    data = {
        "title_es": "Vigilia",
        "description_es": "Con velas.",
        "kind": Action.Kind.VIGIL,
        "place": "Springfield, Illinois",
        "start_date": in_days(8),
        "start_time": "19:00",
        "end_time": "21:00",
        "host_name": "Rosa Pérez",
        "email": "rosa@example.org",
    }
    assert client.post(url, data).status_code == 302
    moved = Proposal.objects.get()
    assert moved.city.region_en == "Illinois" and moved.city.time_zone == "America/Chicago"
    assert moved.starts_at.astimezone(zoneinfo.ZoneInfo("America/Chicago")).strftime("%H:%M") == "19:00"
    assert moved.language == "es"  # the host's, whatever the page


@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_a_decided_proposal_has_no_form_on_its_edit_link(client, campaign, decision):
    proposal = unconfirmed(campaign)
    services.proposal_confirm(proposal=proposal)
    if decision == "approve":
        services.proposal_approve(proposal=proposal, user=None)
    else:
        services.proposal_decline(proposal=proposal, user=None, message="No.")
    page = client.get(f"/en/host/proposal/{proposal_edit_token(proposal)}/").content.decode()
    assert 'name="title_es"' not in page
    assert ("approved your proposal" if decision == "approve" else "did not accept this proposal") in page


# The City a proposal's place becomes


def test_a_city_of_the_same_name_nearby_is_reused_whatever_its_case_and_language(tapachula):
    ours = CityFactory(name_en="Tapachula de Córdova", name_es="TAPACHULA", latitude="14.90", longitude="-92.26")
    assert city_for_location(locate("Tapachula")) == ours
    assert city_for_location(locate("30700")) == ours  # a postal code of its centre
    assert City.objects.count() == 1


def test_a_city_of_the_same_name_far_away_or_in_another_region_is_not_the_one(tapachula):
    far = CityFactory(name_en="Tapachula", latitude="19.43", longitude="-99.13")  # in Mexico City
    unplaced = CityFactory(name_en="Tapachula", region_en="Oaxaca", region_es="Oaxaca")
    made = city_for_location(locate("Tapachula"))
    assert made.pk not in (far.pk, unplaced.pk)
    assert (made.name_en, made.region_en, made.slug) == ("Tapachula", "Chiapas", "tapachula-chiapas")
    assert (float(made.latitude), float(made.longitude)) == (14.90541, -92.25891)
    same_region = CityFactory(name_en="tapachula", region_en="", region_es="Chiapas", slug="t2")
    City.objects.filter(pk=made.pk).delete()
    assert city_for_location(locate("Tapachula")) == same_region  # no coordinates: its region tells


def test_a_new_city_gets_a_slug_of_its_own_and_the_nearest_citys_zone_for_a_postal_code():
    place("Ciudad Hidalgo", "Chiapas", 14.67917, -92.15083, population=14000, time_zone="America/Mexico_City")
    place("Ciudad Hidalgo Centro", "Chiapas", 14.68, -92.15, postal_code="30840")
    CityFactory(slug="ciudad-hidalgo-chiapas")
    new = city_match(locate("30840"))
    assert new.pk is None and new.name_en == "Ciudad Hidalgo"  # the town, not the settlement
    assert new.time_zone == "America/Mexico_City"
    assert city_for_location(locate("30840")).slug == "ciudad-hidalgo-chiapas-2"


def test_a_postal_code_belongs_to_the_city_that_pulls_hardest():
    # Guadalajara's centre: the larger Zapopan is 6 km away, Guadalajara 1 km.
    place("Guadalajara", "Jalisco", 20.66682, -103.39182, population=1385629, time_zone="America/Mexico_City")
    place("Zapopan", "Jalisco", 20.72356, -103.38479, population=1476491, time_zone="America/Mexico_City")
    place("Guadalajara Centro", "Jalisco", 20.6734, -103.3584, postal_code="44100")
    assert city_for_location(locate("44100")).name_en == "Guadalajara"


def test_a_local_phone_number_waits_for_the_place_that_tells_its_country(client, campaign, tapachula):
    page = propose(client, campaign, lang="en", place="Tapachulx", phone="962 123 4567").content.decode()
    assert error_of(page, "phone") == "" and 'value="962 123 4567"' in page
    assert propose(client, campaign, lang="en", phone="962 123 4567").status_code == 302
    assert Proposal.objects.get().phone == "+529621234567"


# Where the form is linked from


def test_the_home_page_a_campaign_taking_proposals_and_an_empty_search_link_to_the_form(client, campaign):
    assert 'href="/en/host/"' in client.get("/en/").content.decode()
    assert 'href="/es/host/?campaign=spring"' in client.get("/es/campaigns/spring/").content.decode()
    CampaignFactory(slug="past-one")  # takes no proposals
    assert "/host/" not in client.get("/en/campaigns/past-one/").content.decode()
    assert 'href="/en/host/"' in client.get("/en/actions/").content.decode()  # no actions at all


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_page_of_the_proposal_speaks_the_pages_language(client, campaign, tapachula, lang):
    from tests.pages import english_ui_on

    proposal = unconfirmed(campaign, language=lang)
    changes = sent_back(campaign, language=lang)
    pages = [
        client.get(f"/{lang}/host/"),
        propose(client, campaign, lang=lang, place="Tapachulx", title_es="", title_en=""),
        client.get(f"/{lang}/host/sent/"),
        client.get(f"/{lang}/host/confirm/{proposal_confirm_token(proposal)}/"),
        client.post(f"/{lang}/host/confirm/{proposal_confirm_token(proposal)}/"),
        client.get(f"/{lang}/host/confirm/broken/"),
        client.get(f"/{lang}/host/proposal/{proposal_edit_token(changes)}/"),
        client.get(f"/{lang}/host/proposal/{proposal_edit_token(proposal)}/"),
    ]
    Proposal.objects.all().delete()
    campaign.delete()
    pages.append(client.get(f"/{lang}/host/"))  # closed
    for response in pages:
        page_lang, text = read(response.content.decode())
        assert page_lang == lang
        if lang == "es":
            assert english_ui_on(text) == [], (response.request["PATH_INFO"], english_ui_on(text))
