"""hosting/views/hosts.py: the host page a private link opens, and its forms (check-in, a message to
volunteers, changes, cancelling, a co-host), as a host's phone posts them."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from actions.models import Action, MailKind, OutgoingMail, Signup
from hosting import services
from hosting.models import Host, HostChange, HostMessage
from hosting.tokens import host_token
from tests.factories import ActionFactory, CityFactory, ConfirmedSignupFactory, SignupFactory
from tests.pages import read

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    return ActionFactory(title_en="Vigil for peace", title_es="Vigilia por la paz", venue="Parque Central")


@pytest.fixture
def on_the_day(action):
    """An hour before the action starts: check-in is open (services.check_in_open)."""
    with time_machine.travel(action.starts_at - datetime.timedelta(hours=1)):
        yield


@pytest.fixture
def host(action):
    return Host.objects.create(action=action, name="Rosa Pérez", email="rosa@example.org", language="es")


def url(host, page="page", lang="en"):
    with translation.override(lang):
        return reverse(f"hosting:host_{page}", kwargs={"token": host_token(host)})


def confirmed(action, name, **fields):
    return ConfirmedSignupFactory(action=action, name=name, **fields)


def text_of(response) -> str:
    return read(response.content.decode())[1]


def test_a_host_link_reaches_only_its_own_action_and_a_tampered_one_none(client, action, host):
    other_action = ActionFactory(title_en="March for justice")
    other = Host.objects.create(action=other_action, name="Luis", email="luis@example.org", language="en")
    mine, theirs = text_of(client.get(url(host))), text_of(client.get(url(other)))
    assert "Vigil for peace" in mine and "March for justice" not in mine
    assert "March for justice" in theirs and "Vigil for peace" not in theirs
    tampered = url(host).replace(host_token(host), host_token(host)[:-3] + "abc")
    response = client.get(tampered)
    assert response.status_code == 404 and "This host link does not work" in text_of(response)
    assert "Vigil for peace" not in text_of(response)
    assert client.post(tampered + "check-in/").status_code == 404


def test_a_revoked_link_404s_with_a_page_that_says_so(client, host):
    services.host_revoke(host=host)
    response = client.get(url(host))
    assert response.status_code == 404
    page = text_of(response)
    assert "The coordinators closed this link; write to them for a new one." in page and "Vigil" not in page


def test_a_new_link_kills_the_old_one(client, host):
    old = url(host)
    services.host_link_new(host=host)
    response = client.get(old)
    assert response.status_code == 404 and "replaced by a newer one" in text_of(response)
    assert client.get(url(host)).status_code == 200


def test_host_pages_are_private_never_cached_nor_indexed_and_send_no_referrer(client, host):
    for page in ("page", "message", "edit", "cancel", "cohost"):
        response = client.get(url(host, page))
        assert response.status_code == 200, page
        assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "strict-origin"
        assert '<meta name="robots" content="noindex">' in response.content.decode()
    invalid = client.get(url(host).replace(host_token(host), "nope"))
    assert (
        "no-store" in invalid["Cache-Control"] and '<meta name="robots" content="noindex">' in invalid.content.decode()
    )


def test_the_page_speaks_the_urls_language_with_the_actions_zone(client, action, host):
    english = client.get(url(host, lang="en"))
    lang, text = read(english.content.decode())
    assert lang == "en" and "Vigil for peace" in text and "Your host page" in text
    assert "CST" in text and "Published" in text and f'href="/en/actions/{action.slug}/"' in english.content.decode()
    lang, text = read(client.get(url(host, lang="es")).content.decode())
    # Spanish text needs the compiled catalogue (the lead's compilemessages).
    assert lang == "es" and "Vigilia por la paz" in text and "Su página de anfitrión/a" in text
    assert "Publicada" in text and "Registro de llegada" in text and "0 confirmadas" in text


def test_bad_input_is_explained_in_the_pages_language(client, host):
    response = client.post(url(host, "message", lang="es"), message(subject_en="Hello"))
    # Needs the compiled catalogue, as above.
    assert "Escriba en este idioma tanto el asunto como el mensaje, o ninguno de los dos." in text_of(response)
    assert "Mensaje en inglés" in text_of(response)


def test_a_draft_says_it_is_not_yet_published_and_links_to_no_public_page(client, action, host):
    action.status = Action.Status.DRAFT
    action.save()
    page = client.get(url(host)).content.decode()
    assert "Draft: not yet published" in page and f"/actions/{action.slug}/" not in page
    assert "Cancel this action" not in page  # cancelled, a draft would show on public pages


def test_volunteers_show_by_first_name_with_contact_only_where_shared(client, action, host):
    confirmed(action, "Ana López", email="ana@example.org", phone="+525512345678", share_with_host=True)
    confirmed(action, "Beto Ruiz", email="beto@example.org", phone="+525587654321")
    SignupFactory(action=action, name="Carla Díaz", status=Signup.Status.WAITLISTED, confirmed_at=timezone.now())
    page = client.get(url(host)).content.decode()
    text = read(page)[1]
    assert "Ana" in text and "Beto" in text and "Carla" in text
    assert "López" not in text and "Ruiz" not in text and "Díaz" not in text
    assert 'href="mailto:ana@example.org"' in page and "+525512345678" in page
    assert "beto@example.org" not in page and "+525587654321" not in page


def test_counts_and_lists_leave_out_cancelled_erased_and_pending_signups(client, action, host, on_the_day):
    confirmed(action, "Ana López")
    confirmed(action, "Beto Ruiz")
    confirmed(action, "", anonymized_at=timezone.now())  # erased after the retention period
    SignupFactory(action=action, name="Carla", status=Signup.Status.WAITLISTED, confirmed_at=timezone.now())
    SignupFactory(action=action, name="Dora Gil", status=Signup.Status.CANCELLED)
    SignupFactory(action=action, name="Eva Sol", status=Signup.Status.PENDING)
    page = client.get(url(host)).content.decode()
    text = read(page)[1]
    assert "3 confirmed" in text and "1 on the waitlist" in text and "1 cancelled" in text
    assert "Dora" not in text and "Eva" not in text
    assert page.count('name="signup"') == 2


def test_the_check_in_list_is_sorted_as_the_pages_language_reads_names(client, action, host, on_the_day):
    for name in ("Zoe Paz", "Ñeco Ríos", "Nora Sáenz", "beto Cruz", "Ángel Luna"):
        confirmed(action, name)

    def order(lang):
        page = client.get(url(host, lang=lang)).content.decode()
        return re.findall(r'<span class="checkin__name">([^<]+)</span>', page)

    assert order("en") == ["Ángel", "beto", "Ñeco", "Nora", "Zoe"]
    assert order("es") == ["Ángel", "beto", "Nora", "Ñeco", "Zoe"]  # ñ is a letter of its own, after n


def test_check_in_and_undo_by_tapping_a_name(client, action, host, on_the_day):
    ana = confirmed(action, "Ana López")
    response = client.post(url(host, "check_in"), {"signup": ana.pk, "attended": "1"})
    assert response.status_code == 302 and response["Location"] == url(host) + "#checkin"
    ana.refresh_from_db()
    assert ana.attended_at is not None
    page = client.get(url(host)).content.decode()
    assert "Checked in ✓ (undo)" in page and 'form="check-in-undo"' in page
    client.post(url(host, "check_in"), {"signup": ana.pk, "attended": "0"})
    ana.refresh_from_db()
    assert ana.attended_at is None
    assert client.get(url(host, "check_in")).status_code == 405  # a link followed changes nothing


def test_check_in_opens_on_the_day_only(client, action, host):
    signup = confirmed(action, "Ana López")
    page = text_of(client.get(url(host)))
    assert "Check-in opens on the day of the action" in page and 'name="signup"' not in page
    refused = client.post(url(host, "check_in"), {"signup": signup.pk, "attended": "1"})
    assert refused.status_code == 409
    signup.refresh_from_db()
    assert signup.attended_at is None


def test_check_in_of_another_actions_volunteer_is_refused(client, action, host, on_the_day):
    theirs = confirmed(ActionFactory(), "Ana López")
    waitlisted = SignupFactory(action=action, name="Beto", status=Signup.Status.WAITLISTED)
    for signup in (theirs, waitlisted):
        response = client.post(url(host, "check_in"), {"signup": signup.pk, "attended": "1"})
        assert response.status_code == 404 and "not on the list of confirmed volunteers" in text_of(response)
        signup.refresh_from_db()
        assert signup.attended_at is None
    assert client.post(url(host, "check_in"), {"signup": "x", "attended": "1"}).status_code == 400


def message(**changes):
    data = {"audience": "confirmed", "subject_es": "Traigan velas", "body_es": "Nos vemos a las **6**."}
    return {**data, **changes}


def test_a_message_reaches_the_confirmed_in_their_language_with_a_note_where_missing(
    client, action, host, mailoutbox, committed
):
    confirmed(action, "Ann Lee", email="ann@example.org", language="en")
    confirmed(action, "Ana López", email="ana@example.org", language="es")
    SignupFactory(action=action, email="wait@example.org", status=Signup.Status.WAITLISTED)
    form = client.get(url(host, "message")).content.decode()
    assert "You can send 3 more messages in the next 24 hours." in read(form)[1]
    assert "Confirmed volunteers (2)" in form and "Volunteers on the waitlist (1)" in form
    with committed():
        response = client.post(url(host, "message"), message())
    assert response.status_code == 302 and response["Location"] == url(host) + "?done=message#messages"
    by_address = {sent.to[0]: sent for sent in mailoutbox}
    assert set(by_address) == {"ann@example.org", "ana@example.org"}
    english, spanish = by_address["ann@example.org"], by_address["ana@example.org"]
    assert (
        "Nos vemos a las 6." in english.body and "The host wrote this message in another language only." in english.body
    )
    assert "Nos vemos a las 6." in spanish.body and "otro idioma" not in spanish.body
    assert english.reply_to == ["rosa@example.org"] and english.subject.startswith("Traigan velas")
    page = text_of(client.get(url(host)))
    assert "Traigan velas" in page and "sent to 2 volunteers" in page and "by Rosa" in page
    assert "You can send 2 more messages" in page


def test_a_message_to_the_waitlist_reaches_it_alone(client, action, host, mailoutbox, committed):
    confirmed(action, "Ana López", email="ana@example.org")
    SignupFactory(action=action, email="wait@example.org", status=Signup.Status.WAITLISTED, language="en")
    with committed():
        client.post(
            url(host, "message"),
            message(audience="waitlisted", subject_en="A seat may free up", body_en="Stay tuned."),
        )
    assert [sent.to for sent in mailoutbox] == [["wait@example.org"]]
    assert "Stay tuned." in mailoutbox[0].body and "another language" not in mailoutbox[0].body


def test_a_message_needs_the_hosts_language_and_both_parts_of_the_other(client, host):
    response = client.post(url(host, "message"), message(subject_es="", subject_en="Hello"))
    assert response.status_code == 400
    page = text_of(response)
    assert "This field is required." in page
    assert "Write both the subject and the message in this language, or neither." in page
    assert 'value="Hello"' in response.content.decode()  # nothing typed is lost
    assert not HostMessage.objects.exists()


def test_a_message_to_nobody_or_past_the_daily_limit_is_refused_keeping_the_text(client, action, host, settings):
    empty = client.post(url(host, "message"), message(audience="waitlisted"))
    assert empty.status_code == 400 and "No volunteer is on this list yet" in text_of(empty)
    confirmed(action, "Ana López")
    settings.HOST_MESSAGES_PER_DAY = 1
    assert client.post(url(host, "message"), message()).status_code == 302
    refused = client.post(url(host, "message"), message(body_es="Otra vez"))
    assert refused.status_code == 400 and "the most messages allowed in 24 hours" in text_of(refused)
    assert "Otra vez</textarea>" in refused.content.decode() and HostMessage.objects.count() == 1
    assert "You can send 0 more messages" in text_of(refused)
    assert "Write to volunteers</a>" not in client.get(url(host)).content.decode()


def test_a_message_with_markdown_too_long_gets_a_field_error(client, action, host):
    confirmed(action, "Ana López")
    response = client.post(url(host, "message"), message(body_es="x" * 5001))
    assert response.status_code == 400 and not HostMessage.objects.exists()
    assert re.search(r'id="id_body_es_error"|Ensure this value has at most 5000 characters', response.content.decode())


def edit_data(action, **changes):
    local_start, local_end = action.local_starts_at, action.local_ends_at
    data = {
        "starts_at_0": local_start.strftime("%Y-%m-%d"),
        "starts_at_1": local_start.strftime("%H:%M"),
        "ends_at_0": local_end.strftime("%Y-%m-%d"),
        "ends_at_1": local_end.strftime("%H:%M"),
        "time_to_be_announced": "on" if action.time_to_be_announced else "",
        "venue": action.venue,
        "address": action.address,
        "description_en": action.description_en or "",
        "description_es": action.description_es or "",
    }
    return {**data, **changes}


def test_a_new_time_emails_the_volunteers_and_records_who_changed_it(client, action, host, mailoutbox, committed):
    confirmed(action, "Ann Lee", email="ann@example.org", language="en")
    form = client.get(url(host, "edit")).content.decode()
    local_start = action.local_starts_at
    assert f'value="{local_start:%H:%M}"' in form and "America/Mexico_City (CST)" in form
    later, end = (moment + datetime.timedelta(hours=1) for moment in (local_start, action.local_ends_at))
    moved = {"starts_at_0": f"{later:%Y-%m-%d}", "starts_at_1": f"{later:%H:%M}"}
    moved |= {"ends_at_0": f"{end:%Y-%m-%d}", "ends_at_1": f"{end:%H:%M}"}
    with committed():
        response = client.post(url(host, "edit"), edit_data(action, **moved))
    assert response.status_code == 302 and response["Location"] == url(host) + "?done=told"
    changed = Action.objects.get(pk=action.pk)
    assert changed.starts_at == action.starts_at + datetime.timedelta(hours=1)
    assert [sent.to for sent in mailoutbox] == [["ann@example.org"]]
    assert OutgoingMail.objects.filter(kind=MailKind.UPDATE).count() == 1
    change = HostChange.objects.get()
    assert (change.host, change.host_name, change.fields) == (host, "Rosa Pérez", ["starts_at", "ends_at"])


def test_a_new_description_is_saved_without_emailing_anyone(client, action, host, mailoutbox, committed):
    confirmed(action, "Ann Lee", email="ann@example.org", language="en")
    with committed():
        response = client.post(url(host, "edit"), edit_data(action, description_es="Traiga una vela."))
    assert response["Location"] == url(host) + "?done=edited"
    assert Action.objects.get(pk=action.pk).description_es == "Traiga una vela." and not mailoutbox
    assert HostChange.objects.get().fields == ["description_es"]
    assert client.post(url(host, "edit"), edit_data(Action.objects.get(pk=action.pk)))["Location"].endswith(
        "?done=unchanged"
    )
    assert HostChange.objects.count() == 1


def test_a_form_sent_back_as_shown_changes_nothing_even_with_seconds_stored(client, action, host, mailoutbox):
    confirmed(action, "Ann Lee", email="ann@example.org", language="en")
    Action.objects.filter(pk=action.pk).update(starts_at=action.starts_at + datetime.timedelta(seconds=30))
    action.refresh_from_db()
    response = client.post(url(host, "edit"), edit_data(action))
    assert response["Location"] == url(host) + "?done=unchanged" and not mailoutbox
    assert Action.objects.get(pk=action.pk).starts_at == action.starts_at and not HostChange.objects.exists()


def test_bad_times_get_errors_next_to_their_fields_and_change_nothing(client, host):
    action = ActionFactory(
        city=CityFactory(time_zone="America/New_York", country="US"),
        starts_at=datetime.datetime(2030, 3, 9, 23, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 3, 10, 1, 0, tzinfo=datetime.UTC),
    )
    host = Host.objects.create(action=action, name="Rosa", email="rosa@example.org", language="en")
    # 2:30 on March 10, 2030 does not exist in New York: the clocks go from 2:00 to 3:00.
    gap = client.post(url(host, "edit"), edit_data(action, starts_at_0="2030-03-10", starts_at_1="02:30"))
    assert gap.status_code == 400
    assert "This time does not exist in America/New_York: the clocks skip it that day." in text_of(gap)
    year = client.post(url(host, "edit"), edit_data(action, ends_at_0="1999-03-09"))
    assert year.status_code == 400 and "Enter a date between 2000 and 2099." in text_of(year)
    backwards = client.post(url(host, "edit"), edit_data(action, ends_at_0="2030-03-09", ends_at_1="17:00"))
    assert backwards.status_code == 400 and "The action must end after it starts." in text_of(backwards)
    past = client.post(url(host, "edit"), edit_data(action, starts_at_0="2020-03-09"))
    assert past.status_code == 400 and "The action cannot start in the past." in text_of(past)
    assert Action.objects.get(pk=action.pk).starts_at == action.starts_at and not HostChange.objects.exists()


def test_a_cancelled_or_finished_action_cannot_be_changed(client, action, host):
    action.status = Action.Status.CANCELLED
    action.save()
    response = client.get(url(host, "edit"))
    assert response.status_code == 409 and "This action is cancelled: it can no longer be changed." in text_of(response)
    assert client.post(url(host, "edit"), edit_data(action, venue="Elsewhere")).status_code == 409
    action.status = Action.Status.PUBLISHED
    action.starts_at = timezone.now() - datetime.timedelta(hours=3)
    action.ends_at = timezone.now() - datetime.timedelta(hours=1)
    action.save()
    response = client.post(url(host, "edit"), edit_data(action, venue="Elsewhere"))
    assert response.status_code == 409 and "This action is over" in text_of(response)
    assert Action.objects.get(pk=action.pk).venue == "Parque Central"
    assert "Report on the action" in text_of(client.get(url(host)))


def test_cancelling_asks_first_then_cancels_and_tells_the_volunteers(client, action, host, mailoutbox, committed):
    confirmed(action, "Ann Lee", email="ann@example.org", language="en")
    asked = client.post(url(host, "cancel"))
    assert asked.status_code == 200 and "Yes, cancel the action" in text_of(asked)
    assert Action.objects.get(pk=action.pk).status == Action.Status.PUBLISHED
    with committed():
        done = client.post(url(host, "cancel"), {"confirmed": "on"})
    assert done["Location"] == url(host) + "?done=cancelled"
    assert Action.objects.get(pk=action.pk).is_cancelled
    assert [sent.to for sent in mailoutbox] == [["ann@example.org"]]
    assert HostChange.objects.get().fields == ["status"]
    page = text_of(client.get(url(host) + "?done=cancelled"))
    assert "The action is cancelled" in page and "Cancel this action" not in page


def test_a_co_host_is_invited_with_a_working_link_of_their_own(client, action, host, mailoutbox, committed):
    with committed():
        response = client.post(
            url(host, "cohost"), {"name": "Luis Gómez", "email": "Luis@Example.org", "language": "en"}
        )
    assert response["Location"] == url(host) + "?done=cohost#hosts"
    cohost = Host.objects.get(invited_by=host)
    assert (cohost.name, cohost.email, cohost.language) == ("Luis Gómez", "Luis@example.org", "en")
    [sent] = mailoutbox
    assert sent.to == ["Luis@example.org"] and "Rosa invites you to co-host" in sent.body
    link = re.search(r"https?://[^/\s]+(/en/host/manage/\S+/)", sent.body).group(1)
    assert link == url(cohost) and link != url(host)
    page = text_of(Client().get(link))
    assert "Vigil for peace" in page and "Luis (you)" in page and "Rosa" in page and "Gómez" not in page


def test_no_more_than_five_active_hosts_nor_a_host_again_nor_a_revoked_one(client, action, host, mailoutbox):
    for n in range(4):
        Host.objects.create(action=action, name=f"Co {n}", email=f"co{n}@example.org", language="en")
    Host.objects.create(action=action, name="Gone", email="gone@example.org", language="en", revoked_at=timezone.now())
    refused = client.post(url(host, "cohost"), {"name": "Six", "email": "six@example.org", "language": "en"})
    assert refused.status_code == 400 and "An action can have at most 5 hosts." in text_of(refused)
    assert 'value="six@example.org"' in refused.content.decode()
    co1 = Host.objects.get(email="co1@example.org")
    again = client.post(url(host, "cohost"), {"name": "Co", "email": "CO1@example.org", "language": "en"})
    assert again.status_code == 400 and "This address hosts the action already" in text_of(again)
    assert Host.objects.get(pk=co1.pk).token == co1.token  # no host can kill another's link
    Host.objects.filter(email="co3@example.org").delete()  # room for one more
    revoked = client.post(url(host, "cohost"), {"name": "Gone", "email": "gone@example.org", "language": "en"})
    assert revoked.status_code == 400 and "The coordinators closed this person’s link." in text_of(revoked)
    assert action.host_people.filter(email="gone@example.org").count() == 1 and mailoutbox == []
    bad = client.post(url(host, "cohost"), {"name": "", "email": "nope", "language": "fr"})
    assert bad.status_code == 400 and "Enter a valid email address." in text_of(bad)


def test_every_form_carries_its_csrf_token_and_a_post_without_it_is_refused(action, host):
    confirmed(action, "Ana López")
    client = Client(enforce_csrf_checks=True)
    for page in ("page", "message", "edit", "cancel", "cohost"):
        html = client.get(url(host, page)).content.decode()
        forms = html.count('<form method="post"')
        assert forms and html.count('name="csrfmiddlewaretoken"') == forms, page
    signup = Signup.objects.get()
    response = client.post(url(host, "check_in"), {"signup": signup.pk, "attended": "1"})
    assert response.status_code == 403
    signup.refresh_from_db()
    assert signup.attended_at is None


def test_the_pages_query_count_does_not_grow_with_the_volunteers(
    client, action, host, django_assert_max_num_queries, on_the_day
):
    def add(count):
        for n in range(count):
            confirmed(action, f"Volunteer{n} Surname", share_with_host=n % 2 == 0)
            SignupFactory(action=action, status=Signup.Status.WAITLISTED, confirmed_at=timezone.now())
        services.message_send(action=action, audience="confirmed", subjects={"es": "Hola"}, bodies={"es": "Texto"})

    add(2)
    with django_assert_max_num_queries(6):
        client.get(url(host))
    add(40)
    with django_assert_max_num_queries(6):
        page = client.get(url(host)).content.decode()
    assert page.count('name="signup"') == 42
    with django_assert_max_num_queries(3):
        client.get(url(host, "message"))


def test_an_online_actions_place_is_its_meeting_link(client, mailoutbox, committed):
    action = ActionFactory(city=None)
    host = Host.objects.create(action=action, name="Rosa", email="rosa@example.org", language="en")
    ConfirmedSignupFactory(action=action, email="ana@example.org", language="en")
    form = client.get(url(host, "edit")).content.decode()
    assert 'name="venue"' not in form and 'name="online_url"' in form and 'name="description_es"' in form
    data = edit_data(action, description_en="On video.", online_url="meet.example.org/peace")
    del data["venue"], data["address"]
    with committed():
        assert client.post(url(host, "edit"), data)["Location"] == url(host) + "?done=told"
    action.refresh_from_db()
    assert action.online_url == "https://meet.example.org/peace"
    assert HostChange.objects.get().fields == ["online_url", "description_en"]
    assert "https://meet.example.org/peace" in mailoutbox[-1].body  # the update email, to the confirmed


def test_an_in_person_actions_form_has_no_meeting_link(client):
    host = Host.objects.create(action=ActionFactory(), name="Rosa", email="rosa@example.org", language="en")
    form = client.get(url(host, "edit")).content.decode()
    assert 'name="venue"' in form and 'name="online_url"' not in form
