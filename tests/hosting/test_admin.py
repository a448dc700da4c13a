"""hosting/admin.py: coordinators (and local hosts, for their cities) review proposals in the admin,
see who hosts an action and manage their links, and write to an action's volunteers; nothing
proposed reaches a public page before it is approved and published."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.utils import timezone

from actions.models import Action, LocalHost, MailKind, OutgoingMail, Signup
from hosting import services
from hosting.models import ActionReport, Host, HostChange, HostMessage, Proposal
from hosting.tokens import InvalidToken, RevokedLink, host_for_token, host_token
from tests.admin_forms import admin_url
from tests.factories import CampaignFactory, CityFactory, ConfirmedSignupFactory, ProposalFactory, SignupFactory, local

pytestmark = pytest.mark.django_db

START = local(2027, 6, 30, 18, 0, "America/Mexico_City")


@pytest.fixture
def cities():
    call_command("setup_roles")
    tapachula = CityFactory(name_en="Tapachula", name_es="Tapachula", slug="tapachula", region_en="", region_es="")
    new_york = CityFactory(
        name_en="New York",
        name_es="Nueva York",
        slug="new-york",
        region_en="",
        region_es="",
        country="US",
        time_zone="America/New_York",
    )
    return tapachula, new_york


@pytest.fixture
def campaign():
    return CampaignFactory(proposals_open_on=timezone.localdate() - datetime.timedelta(days=1))


def proposed(campaign, city, status=Proposal.Status.SUBMITTED, **changes) -> Proposal:
    """A proposal of `campaign` in `city` (None: online), in Spanish, as its host sent it."""
    fields = {
        "description_es": "Con velas.\nTraiga agua.",
        "starts_at": START,
        "ends_at": START + datetime.timedelta(hours=2),
        "host_name": "Rosa María Pérez",
        "confirmed_at": timezone.now(),
        **changes,
    }
    return ProposalFactory(campaign=campaign, city=city, status=status, **fields)


def staff(username, group, cities=()):
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    if cities:
        LocalHost.objects.create(user=user).cities.set(cities)
    return user


@pytest.fixture
def coordinator(client, cities):
    client.force_login(staff("coordinator", "coordinator"))
    return client


@pytest.fixture
def host_client(client, cities):
    """A local host of Tapachula."""
    client.force_login(staff("tapachula-host", "local host", [cities[0]]))
    return client


def review_data(client, proposal, **changes) -> dict:
    """The review form of `proposal` as a browser posts it untouched (times in the proposal's zone),
    with `changes` (form field names)."""
    response = client.get(admin_url(Proposal, "change", proposal.pk))
    form = response.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    for name in ("starts_at", "ends_at"):
        moment = getattr(proposal, name).astimezone(proposal.zone)
        data.pop(name, None)
        data[f"{name}_0"], data[f"{name}_1"] = moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M")
    data.update({"city": proposal.city_id or "", "decision": "", "message": "", **changes})
    return data


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# The review queue.


def test_the_admin_index_counts_the_proposals_each_reviewer_may_see(client, cities, campaign):
    tapachula, new_york = cities
    for _ in range(2):
        proposed(campaign, tapachula)
    proposed(campaign, new_york)
    proposed(campaign, None)
    proposed(campaign, tapachula, status=Proposal.Status.UNCONFIRMED, confirmed_at=None)
    proposed(campaign, tapachula, status=Proposal.Status.DECLINED)
    queue = f'href="{admin_url(Proposal, "changelist")}?status=submitted"'

    client.force_login(staff("coordinator", "coordinator"))
    html = client.get("/admin/").content.decode()
    assert "Proposals awaiting review: 4" in html and queue in html
    client.force_login(staff("tapachula-host", "local host", [tapachula]))
    assert "Proposals awaiting review: 2" in client.get("/admin/").content.decode()
    client.force_login(User.objects.create_user("no-role", is_staff=True))
    assert "Proposals awaiting review" not in client.get("/admin/").content.decode()


def test_the_list_is_the_review_queue_and_other_statuses_are_a_filter_away(coordinator, cities, campaign):
    tapachula, new_york = cities
    waiting = proposed(campaign, tapachula, title_es="Vigilia en Tapachula")
    online = proposed(campaign, None, title_es="Vigilia en línea", host_name="Luis")
    unconfirmed = proposed(campaign, tapachula, status=Proposal.Status.UNCONFIRMED, title_es="Sin confirmar")
    declined = proposed(campaign, new_york, status=Proposal.Status.DECLINED, title_es="Rechazada")
    url = admin_url(Proposal, "changelist")

    response = coordinator.get(url)
    assert response.context["title"] == "Proposals awaiting review"
    assert {p.pk for p in response.context["cl"].result_list} == {waiting.pk, online.pk}
    html = response.content.decode()
    assert "Sin confirmar" not in html and "Rechazada" not in html
    assert "June 30, 2027, 6:00 PM CST" in html  # in the city's zone, with its abbreviation
    assert "Online" in html and "Rosa" in html and "Luis" in html
    assert "Pérez" not in html and "rosa@example.org" not in html  # first names only

    assert {p.pk for p in coordinator.get(f"{url}?status=declined").context["cl"].result_list} == {declined.pk}
    assert {p.pk for p in coordinator.get(f"{url}?status=all").context["cl"].result_list} == {
        waiting.pk,
        online.pk,
        unconfirmed.pk,
        declined.pk,
    }
    assert coordinator.get(f"{url}?status=declined").context["title"] == "Proposals"
    assert coordinator.get(f"{url}?status=bogus").context["title"] == "Proposals awaiting review"
    assert coordinator.get(f"{url}?_facets=True").status_code == 200  # "Show counts"


def test_the_review_queue_takes_as_many_queries_for_many_proposals_as_for_one(
    coordinator, cities, campaign, django_assert_max_num_queries
):
    proposed(campaign, cities[0])
    url = admin_url(Proposal, "changelist")
    with django_assert_max_num_queries(9):
        assert len(coordinator.get(url).context["cl"].result_list) == 1
    for n in range(12):
        proposed(campaign, cities[n % 2] if n % 3 else None)
    with django_assert_max_num_queries(9):
        assert len(coordinator.get(url).context["cl"].result_list) == 13


def test_a_local_host_reviews_only_their_cities_proposals(host_client, cities, campaign):
    tapachula, new_york = cities
    ours = proposed(campaign, tapachula, title_es="Vigilia en Tapachula")
    theirs = proposed(campaign, new_york, title_es="Vigilia en Nueva York")
    online = proposed(campaign, None, title_es="Vigilia en línea")
    html = host_client.get(admin_url(Proposal, "changelist") + "?status=all").content.decode()
    assert "Vigilia en Tapachula" in html and "Nueva York" not in html and "en línea" not in html
    for other in (theirs, online):
        assert host_client.get(admin_url(Proposal, "change", other.pk)).status_code == 403
        response = host_client.post(admin_url(Proposal, "change", other.pk), {"decision": "decline", "message": "No"})
        assert response.status_code == 403
    assert host_client.get(admin_url(Proposal, "change", ours.pk)).status_code == 200
    assert host_client.post(admin_url(Proposal, "delete", ours.pk), {"post": "yes"}).status_code == 403
    assert Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count() == 3


def test_a_local_host_cannot_move_a_proposal_out_of_their_cities(host_client, cities, campaign):
    ours = proposed(campaign, cities[0])
    response = host_client.post(
        admin_url(Proposal, "change", ours.pk), review_data(host_client, ours, city=cities[1].pk)
    )
    assert response.status_code == 200 and "city" in response.context["adminform"].form.errors
    response = host_client.post(admin_url(Proposal, "change", ours.pk), review_data(host_client, ours, city=""))
    assert "city" in response.context["adminform"].form.errors  # online would be outside their cities
    assert Proposal.objects.get(pk=ours.pk).city == cities[0]


def test_a_coordinator_may_delete_a_proposal(coordinator, cities, campaign):
    proposal = proposed(campaign, cities[0])
    assert coordinator.post(admin_url(Proposal, "delete", proposal.pk), {"post": "yes"}).status_code == 302
    assert not Proposal.objects.exists()


# Deciding.


def test_the_review_page_shows_the_hosts_text_beside_what_will_be_published(coordinator, cities, campaign):
    proposal = proposed(campaign, cities[0], phone="+525512345678", organization="Brigadas de Paz")
    proposal.title_es = "Vigilia por la paz (corregido)"
    proposal.save()
    html = coordinator.get(admin_url(Proposal, "change", proposal.pk)).content.decode()
    assert "As the host wrote it" in html and 'class="proposal-review"' in html
    as_written = html.split('class="module proposal-as-written"')[1].split("</section>")[0]
    assert "Vigilia por la paz</dd>" in as_written and "Con velas.<br>Traiga agua." in as_written
    assert 'name="title_es" value="Vigilia por la paz (corregido)"' in html  # editable beside it
    assert 'name="starts_at_1" value="18:00"' in html and "America/Mexico_City" in html  # the city's own time
    for shown in ("Rosa María Pérez", "rosa@example.org", "+525512345678", "Brigadas de Paz"):
        assert shown in html
    assert 'name="email"' not in html and 'name="host_name"' not in html  # read-only
    assert "hosting/admin/review.css" in html


def test_approving_publishes_the_reviewers_texts_and_sends_the_host_their_link(
    coordinator, cities, campaign, mailoutbox, committed, client
):
    proposal = proposed(campaign, cities[0])
    data = review_data(
        coordinator,
        proposal,
        title_en="Vigil for peace in Tapachula",
        title_es="Vigilia por la paz en Tapachula",
        description_en="With candles.",
        description_es="Con velas y agua.",
        starts_at_1="19:00",
        ends_at_1="21:00",
        decision="approve",
        message="¡Gracias!",
    )
    with committed():
        response = coordinator.post(admin_url(Proposal, "change", proposal.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    proposal.refresh_from_db()
    action = proposal.action
    assert proposal.status == Proposal.Status.APPROVED and proposal.reviewed_by.username == "coordinator"
    assert action.status == Action.Status.PUBLISHED
    assert (action.title_en, action.title_es) == ("Vigil for peace in Tapachula", "Vigilia por la paz en Tapachula")
    assert (action.description_en, action.description_es) == ("With candles.", "Con velas y agua.")
    assert action.starts_at == local(2027, 6, 30, 19, 0, "America/Mexico_City")
    assert proposal.submitted["title_es"] == "Vigilia por la paz"  # the host's own text is kept
    (sent,) = mailoutbox
    assert sent.to == ["rosa@example.org"] and "¡Gracias!" in sent.body
    host = Host.objects.get(action=action)
    assert f"/es/host/manage/{host_token(host)}/" in sent.body  # in the host's language
    (done,) = texts(response)
    assert admin_url(Action, "change", action.pk) in done and "Vigil for peace in Tapachula" in done
    assert "Vigil for peace in Tapachula" in client.get(f"/en/actions/{action.slug}/").content.decode()


def test_approving_as_a_draft_publishes_nothing_yet(coordinator, cities, campaign, mailoutbox, committed):
    proposal = proposed(campaign, cities[0], title_en="Vigil for peace")
    with committed():
        response = coordinator.post(
            admin_url(Proposal, "change", proposal.pk), review_data(coordinator, proposal, decision="draft")
        )
    assert response.status_code == 302
    action = Proposal.objects.get().action
    assert action.status == Action.Status.DRAFT and not Action.objects.published().exists()
    assert "/es/host/manage/" in mailoutbox[-1].body
    assert "draft" in texts(response)[0]


def test_publishing_needs_an_english_title_and_a_time_ahead(coordinator, cities, campaign):
    proposal = proposed(campaign, cities[0])
    url = admin_url(Proposal, "change", proposal.pk)
    response = coordinator.post(url, review_data(coordinator, proposal, decision="approve", title_es="Editado"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["title_en"] and "English title" in errors["title_en"][0]
    assert 'value="Editado"' in response.content.decode()  # nothing typed is lost
    past = proposed(campaign, cities[0], title_en="Vigil", starts_at=timezone.now() - datetime.timedelta(hours=1))
    response = coordinator.post(
        admin_url(Proposal, "change", past.pk),
        review_data(coordinator, past, decision="draft", ends_at_0="2099-01-01", ends_at_1="10:00"),
    )
    assert list(response.context["adminform"].form.errors) == ["starts_at"]
    assert not Action.objects.exists()
    assert set(Proposal.objects.values_list("status", flat=True)) == {Proposal.Status.SUBMITTED}


def test_asking_for_changes_needs_a_message_and_sends_an_edit_link(
    coordinator, cities, campaign, mailoutbox, committed
):
    proposal = proposed(campaign, cities[0])
    url = admin_url(Proposal, "change", proposal.pk)
    response = coordinator.post(url, review_data(coordinator, proposal, decision="changes", message="  "))
    assert response.status_code == 200 and list(response.context["adminform"].form.errors) == ["message"]
    too_long = review_data(coordinator, proposal, decision="changes", message="x" * 2001)
    assert "message" in coordinator.post(url, too_long).context["adminform"].form.errors
    with committed():
        response = coordinator.post(
            url, review_data(coordinator, proposal, decision="changes", message="Indique la dirección.")
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CHANGES_REQUESTED and proposal.review_message == "Indique la dirección."
    (sent,) = mailoutbox
    assert "Indique la dirección." in sent.body and "/es/host/proposal/" in sent.body
    assert not Action.objects.exists()


def test_declining_tells_the_host_why(coordinator, cities, campaign, mailoutbox, committed):
    proposal = proposed(campaign, cities[0], language="en", title_en="Vigil", title_es="")
    url = admin_url(Proposal, "change", proposal.pk)
    assert (
        "message"
        in coordinator.post(url, review_data(coordinator, proposal, decision="decline"))
        .context["adminform"]
        .form.errors
    )
    with committed():
        response = coordinator.post(url, review_data(coordinator, proposal, decision="decline", message="Too late."))
    assert response.status_code == 302 and Proposal.objects.get().status == Proposal.Status.DECLINED
    assert mailoutbox[-1].subject == "Your proposal was not accepted: Vigil" and "Too late." in mailoutbox[-1].body


def test_saving_without_a_decision_keeps_the_edits_for_later(coordinator, cities, campaign, mailoutbox, committed):
    proposal = proposed(campaign, cities[0])
    with committed():
        response = coordinator.post(
            admin_url(Proposal, "change", proposal.pk), review_data(coordinator, proposal, title_en="Vigil for peace")
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title_en == "Vigil for peace" and proposal.status == Proposal.Status.SUBMITTED
    assert mailoutbox == [] and not Action.objects.exists()


def test_deciding_twice_is_refused_and_the_first_decision_stands(coordinator, cities, campaign):
    proposal = proposed(campaign, cities[0], title_en="Vigil")
    url = admin_url(Proposal, "change", proposal.pk)
    stale = review_data(coordinator, proposal, decision="decline", message="Ya hay otra vigilia.")
    assert coordinator.post(url, review_data(coordinator, proposal, decision="approve")).status_code == 302
    response = coordinator.post(url, stale)  # the page another coordinator still had open
    assert response.status_code == 302 and response["Location"] == url
    _approved, refused, kept = texts(response)
    assert "no longer awaiting review" in refused and "Approved" in refused
    assert "Ya hay otra vigilia." in kept  # what they wrote is not lost
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED and Action.objects.count() == 1


def test_a_decision_made_while_the_form_was_checked_is_not_undone(coordinator, cities, campaign, monkeypatch):
    from hosting.forms.review import ProposalReviewForm

    proposal = proposed(campaign, cities[0], title_en="Vigil")
    clean = ProposalReviewForm.clean

    def decided_meanwhile(form):
        # Another coordinator declines it between this page's checks and its save. (Here within the
        # page's own transaction, which the refusal rolls back: the proposal is left as it was.)
        Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.DECLINED)
        return clean(form)

    monkeypatch.setattr(ProposalReviewForm, "clean", decided_meanwhile)
    url = admin_url(Proposal, "change", proposal.pk)
    data = review_data(coordinator, proposal, decision="approve")
    response = coordinator.post(url, data)
    assert response.status_code == 302 and "no longer awaiting review" in texts(response)[0]
    assert not Action.objects.exists() and not Host.objects.exists()
    response = coordinator.post(url, {**data, "decision": "", "title_en": "Edited"})
    assert response.status_code == 302 and "no longer awaiting review" in texts(response)[-1]
    assert Proposal.objects.get().title_en == "Vigil"  # an edit neither


def test_a_decided_proposal_opens_read_only_with_its_decision(coordinator, cities, campaign):
    proposal = proposed(campaign, cities[0], title_en="Vigil")
    url = admin_url(Proposal, "change", proposal.pk)
    coordinator.post(url, review_data(coordinator, proposal, decision="draft", message="Bienvenida."))
    action = Proposal.objects.get().action
    response = coordinator.get(url)
    html = response.content.decode()
    for name in ("title_en", "description_es", "city", "starts_at_0", "decision", "message"):
        assert f'name="{name}"' not in html  # nothing to edit
    assert "Bienvenida." in html and "coordinator" in html
    assert admin_url(Action, "change", action.pk) in html and "Draft" in html
    assert "June 30, 2027, 6:00 PM CST" in html  # its times in the city's zone


def test_the_review_page_speaks_spanish(coordinator, cities, campaign):
    proposal = proposed(campaign, cities[0])
    response = coordinator.get(admin_url(Proposal, "change", proposal.pk), headers={"accept-language": "es"})
    html = response.content.decode()
    assert '<html lang="es"' in html and "Guardar" in html  # Django's own admin strings
    # Ours (these need the compiled catalogue):
    assert "Tal como lo escribió el/la anfitrión/a" in html and "Aprobar y publicar" in html
    response = coordinator.get(admin_url(Proposal, "changelist"), headers={"accept-language": "es"})
    assert "Propuestas por revisar" in response.content.decode()


# The action's hosts.


@pytest.fixture
def hosted(campaign, cities):
    """An action of Tapachula approved from Rosa's proposal, with a co-host."""
    action = services.proposal_approve(proposal=proposed(campaign, cities[0], title_en="Vigil"), user=None)
    services.cohost_invite(host=action.host_people.get(), name="Luis Gómez", email="luis@example.org", language="en")
    return action


def test_the_action_list_says_which_actions_hosts_proposed_and_who_hosts_them(coordinator, hosted, cities):
    from tests.factories import ActionFactory

    staffs = ActionFactory(city=cities[0], title_en="Staff's own action")
    url = admin_url(Action, "changelist")
    html = coordinator.get(url).content.decode()
    assert "Rosa, Luis" in html and "rosa@example.org" not in html and "luis@example.org" not in html
    assert [a.pk for a in coordinator.get(f"{url}?proposed=yes").context["cl"].result_list] == [hosted.pk]
    assert [a.pk for a in coordinator.get(f"{url}?proposed=no").context["cl"].result_list] == [staffs.pk]


def test_the_action_page_lists_its_hosts_and_their_links(coordinator, hosted, client):
    html = coordinator.get(admin_url(Action, "change", hosted.pk)).content.decode()
    for shown in ("Rosa María Pérez", "rosa@example.org", "Luis Gómez", "luis@example.org", "Active", "Español"):
        assert shown in html
    rosa = hosted.host_people.get(name="Rosa María Pérez")
    assert f'href="/admin/hosting/host/{rosa.pk}/new-link/"' in html
    assert f'href="/admin/hosting/host/{rosa.pk}/revoke/"' in html
    assert f'href="/admin/hosting/hostmessage/add/?action={hosted.pk}"' in html


def test_a_local_host_sees_their_actions_hosts_but_cannot_change_their_links(host_client, hosted):
    html = host_client.get(admin_url(Action, "change", hosted.pk)).content.decode()
    assert "Rosa María Pérez" in html and "/new-link/" not in html and "/revoke/" not in html
    rosa = hosted.host_people.first()
    assert host_client.post(f"/admin/hosting/host/{rosa.pk}/revoke/").status_code == 403
    assert host_client.post(f"/admin/hosting/host/{rosa.pk}/new-link/").status_code == 403
    assert Host.objects.get(pk=rosa.pk).revoked_at is None


def test_a_new_link_kills_the_old_one(coordinator, hosted, mailoutbox, committed):
    rosa = hosted.host_people.get(name="Rosa María Pérez")
    old = host_token(rosa)
    url = f"/admin/hosting/host/{rosa.pk}/new-link/"
    assert "the link they have now stops working" in coordinator.get(url).content.decode()  # asked first
    assert host_for_token(old) == rosa
    with committed():
        response = coordinator.post(url)
    assert response.status_code == 302 and response["Location"] == admin_url(Action, "change", hosted.pk)
    with pytest.raises(InvalidToken):
        host_for_token(old)
    rosa.refresh_from_db()
    assert mailoutbox[-1].to == ["rosa@example.org"] and f"/es/host/manage/{host_token(rosa)}/" in mailoutbox[-1].body
    assert old not in mailoutbox[-1].body


def test_a_coordinator_revokes_a_hosts_link_and_may_send_a_new_one(coordinator, hosted):
    rosa = hosted.host_people.get(name="Rosa María Pérez")
    link = host_token(rosa)
    assert coordinator.post(f"/admin/hosting/host/{rosa.pk}/revoke/").status_code == 302
    with pytest.raises(RevokedLink):
        host_for_token(link)
    html = coordinator.get(admin_url(Action, "change", hosted.pk)).content.decode()
    assert "Revoked on" in html and f"/admin/hosting/host/{rosa.pk}/revoke/" not in html
    assert host_for_token(host_token(hosted.host_people.get(name="Luis Gómez")))  # the co-host's still opens
    coordinator.post(f"/admin/hosting/host/{rosa.pk}/new-link/")
    rosa.refresh_from_db()
    assert host_for_token(host_token(rosa)) == rosa


def test_the_host_list_sends_new_links_and_revokes_in_bulk(coordinator, hosted):
    hosts = list(hosted.host_people.all())
    links = [host_token(host) for host in hosts]
    url = admin_url(Host, "changelist")
    selected = [host.pk for host in hosts]
    coordinator.post(url, {"action": "send_new_links", "_selected_action": selected})
    for link in links:
        with pytest.raises(InvalidToken):
            host_for_token(link)
    coordinator.post(url, {"action": "revoke_links", "_selected_action": selected})
    assert not Host.objects.filter(revoked_at=None).exists()
    assert "luis@example.org" not in coordinator.get(url).content.decode()


# Writing to an action's volunteers.


@pytest.fixture
def volunteers(hosted):
    ConfirmedSignupFactory(action=hosted, email="ana@example.org", language="en")
    ConfirmedSignupFactory(action=hosted, email="beto@example.org", language="es")
    SignupFactory(action=hosted, email="wait@example.org", status=Signup.Status.WAITLISTED)
    SignupFactory(action=hosted, email="gone@example.org", status=Signup.Status.CANCELLED)
    SignupFactory(action=hosted, email="unconfirmed@example.org")
    return hosted


def message_data(action, **changes) -> dict:
    return {
        "action": action.pk,
        "audience": HostMessage.Audience.CONFIRMED,
        "subject_en": "",
        "body_en": "",
        "subject_es": "Traigan velas",
        "body_es": "Nos vemos a las 6.",
        **changes,
    }


def test_a_coordinator_writes_to_the_confirmed_volunteers_only(coordinator, volunteers, mailoutbox, committed):
    url = admin_url(HostMessage, "add")
    page = coordinator.get(f"{url}?action={volunteers.pk}")
    assert page.context["adminform"].form.initial["action"] == str(volunteers.pk)
    with committed():
        response = coordinator.post(url, message_data(volunteers))
    assert response.status_code == 302 and response["Location"] == admin_url(Action, "change", volunteers.pk)
    message = HostMessage.objects.get()
    assert message.sent_by.username == "coordinator" and message.host is None and message.recipients == 2
    rows = OutgoingMail.objects.filter(kind=MailKind.MESSAGE)
    assert sorted(rows.values_list("signup__email", flat=True)) == ["ana@example.org", "beto@example.org"]
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.org", "beto@example.org"]
    assert "2 volunteers" in texts(response)[0]
    assert coordinator.get(admin_url(HostMessage, "change", message.pk)).status_code == 200  # read-only


def test_a_message_needs_a_whole_language_and_respects_the_daily_limit(coordinator, volunteers, settings):
    url = admin_url(HostMessage, "add")
    response = coordinator.post(url, message_data(volunteers, subject_es="", body_en="Only a text"))
    errors = response.context["adminform"].form.errors
    assert "at least one language" in errors["__all__"][0] and "subject_en" in errors
    settings.HOST_MESSAGES_PER_DAY = 1
    assert coordinator.post(url, message_data(volunteers)).status_code == 302
    response = coordinator.post(url, message_data(volunteers))
    assert "in the last 24 hours" in response.context["adminform"].form.errors["action"][0]
    assert HostMessage.objects.count() == 1


def test_a_message_to_nobody_is_refused_without_using_up_the_day(coordinator, volunteers):
    Signup.objects.filter(status=Signup.Status.WAITLISTED).delete()
    url = admin_url(HostMessage, "add")
    response = coordinator.post(url, message_data(volunteers, audience=HostMessage.Audience.WAITLISTED))
    assert "No volunteer is on this list yet" in response.context["adminform"].form.errors["audience"][0]
    assert not HostMessage.objects.exists()


def test_a_decision_just_before_djangos_own_check_is_explained_not_forbidden(coordinator, cities, campaign):
    from hosting.admin import ProposalAdmin

    proposal = proposed(campaign, cities[0], title_en="Vigil")
    data = review_data(coordinator, proposal, decision="approve")
    get_object = ProposalAdmin.get_object
    calls = []

    def decided_meanwhile(self, request, object_id, from_field=None):
        calls.append(object_id)
        if len(calls) == 2:  # after this page's own check, before Django's
            Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.DECLINED)
        return get_object(self, request, object_id, from_field)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ProposalAdmin, "get_object", decided_meanwhile)
        response = coordinator.post(admin_url(Proposal, "change", proposal.pk), data)
    assert response.status_code == 302 and "no longer awaiting review" in texts(response)[0]
    assert not Action.objects.exists()


def test_a_local_host_writes_only_to_their_cities_volunteers(host_client, volunteers, cities):
    from tests.factories import ActionFactory

    theirs = ActionFactory(city=cities[1])
    ConfirmedSignupFactory(action=theirs)
    url = admin_url(HostMessage, "add")
    response = host_client.post(url, message_data(theirs))
    assert response.status_code == 200 and "action" in response.context["adminform"].form.errors
    assert host_client.post(url, message_data(volunteers)).status_code == 302
    assert HostMessage.objects.get().action == volunteers


# Nothing proposed is public.


def test_nothing_proposed_shows_on_public_pages_feeds_the_api_or_the_sitemap(client, cities, campaign):
    draft = services.proposal_approve(
        proposal=proposed(campaign, cities[0], title_en="Secret draft vigil", title_es="Vigilia borrador secreta"),
        user=None,
        draft=True,
    )
    proposed(campaign, cities[1], title_en="Unreviewed march", title_es="Marcha sin revisar")
    assert draft.status == Action.Status.DRAFT
    pages = [
        "/en/actions/?when=all",
        "/es/actions/?when=all",
        f"/en/campaigns/{campaign.slug}/",
        f"/es/campaigns/{campaign.slug}/",
        "/api/v1/actions/",
        "/api/v1/cities/",
        f"/api/v1/campaigns/{campaign.slug}/",
        "/en/actions/feed.atom",
        "/es/actions/feed.atom",
        "/sitemap.xml",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        for secret in ("Secret draft", "borrador secreta", "Unreviewed", "sin revisar", draft.slug):
            assert secret not in body, (page, secret)
        assert "tapachula" not in body.lower(), page  # nor its city, with no public action yet
    assert client.get("/en/cities/tapachula/").status_code == 404
    assert client.get(f"/en/actions/{draft.slug}/").status_code == 404
    assert client.get(f"/api/v1/actions/{draft.slug}/").status_code == 404


# Every page opens.


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_hosting_admin_pages_open_in_both_languages(coordinator, hosted, language, campaign, cities):
    headers = {"accept-language": language}
    proposed(campaign, None)
    HostMessage.objects.create(action=hosted, subject_en="Hi", body_en="Text")
    HostChange.objects.create(action=hosted, host_name="Rosa", fields=["venue"])
    ActionReport.objects.create(action=hosted, turnout=40)
    for model in (Proposal, Host, HostMessage, HostChange, ActionReport):
        assert coordinator.get(admin_url(model, "changelist"), headers=headers).status_code == 200, model
        for obj in model.objects.all():
            assert coordinator.get(admin_url(model, "change", obj.pk), headers=headers).status_code == 200, obj
    assert coordinator.get(admin_url(HostMessage, "add"), headers=headers).status_code == 200
    assert coordinator.get(f"/admin/hosting/host/{hosted.host_people.first().pk}/revoke/").status_code == 200
