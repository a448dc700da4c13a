import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from actions.models import Action, MailKind, OutgoingMail, Signup
from hosting import services
from hosting.models import Host, HostMessage, Proposal
from tests.factories import CampaignFactory, CityFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    today = timezone.localdate()
    return CampaignFactory(proposals_open_on=today - datetime.timedelta(days=1))


def proposal(campaign, **changes):
    """A proposal not yet sent (unsaved), in a city of its own."""
    return ProposalFactory.build(campaign=campaign, **{"city": CityFactory(), **changes})


def test_the_whole_path_from_proposal_to_message(campaign, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.proposal_submit(proposal=proposal(campaign))
    assert submitted.status == Proposal.Status.UNCONFIRMED
    assert mailoutbox[-1].to == ["rosa@example.org"] and "/es/host/confirm/" in mailoutbox[-1].body
    # What the host proposed, to check before confirming: when in the city's zone, and where.
    assert re.search(r"18:00 CST – 20:00 CST\nParque Central, Dirección por anunciar, ", mailoutbox[-1].body)
    services.proposal_confirm(proposal=submitted)
    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.SUBMITTED
    submitted.title_en = "Vigil for peace"
    with django_capture_on_commit_callbacks(execute=True):
        action = services.proposal_approve(proposal=submitted, user=None)
    assert action.status == Action.Status.PUBLISHED and action.title_en == "Vigil for peace"
    assert "/es/host/manage/" in mailoutbox[-1].body
    host = Host.objects.get(action=action)
    signup = Signup.objects.create(
        action=action, name="Ana", email="ana@example.org", language="en", status=Signup.Status.CONFIRMED
    )
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_send(
            action=action,
            audience=HostMessage.Audience.CONFIRMED,
            subjects={"es": "Traigan velas"},
            bodies={"es": "Nos vemos a las 6."},
            host=host,
        )
    assert message.recipients == 1
    sent = mailoutbox[-1]
    assert sent.to == ["ana@example.org"] and sent.reply_to == ["rosa@example.org"]
    assert "Nos vemos a las 6." in sent.body and "another language" in sent.body
    assert OutgoingMail.objects.get(kind=MailKind.MESSAGE).signup == signup


def submitted(campaign, **changes):
    """A proposal whose host confirmed their address: awaiting review."""
    return ProposalFactory(campaign=campaign, **changes)


def test_a_campaign_takes_proposals_only_between_its_dates(campaign):
    today = timezone.localdate()
    assert campaign.accepts_proposals(today)
    assert not campaign.accepts_proposals(campaign.end_date + datetime.timedelta(days=1))
    campaign.proposals_close_on = today - datetime.timedelta(days=1)
    assert not campaign.accepts_proposals(today)
    campaign.proposals_open_on = None
    assert not campaign.accepts_proposals(today)


def test_the_database_refuses_proposals_that_close_before_they_open(campaign):
    from django.db import IntegrityError

    campaign.proposals_close_on = campaign.proposals_open_on - datetime.timedelta(days=1)
    with pytest.raises(IntegrityError):
        campaign.save()


def test_a_closed_campaign_refuses_a_proposal_and_its_confirmation(campaign):
    made = services.proposal_submit(proposal=proposal(campaign))
    campaign.proposals_open_on = None
    campaign.save()
    with pytest.raises(services.ProposalsClosed):
        services.proposal_submit(proposal=proposal(campaign))
    made.campaign.refresh_from_db()
    with pytest.raises(services.ProposalsClosed):
        services.proposal_confirm(proposal=made)
    assert Proposal.objects.get().status == Proposal.Status.UNCONFIRMED


def test_the_same_proposal_sent_twice_is_saved_once_and_its_email_throttled(campaign, mailoutbox, committed):
    with committed():
        first = services.proposal_submit(proposal=proposal(campaign))
        again = services.proposal_submit(proposal=proposal(campaign, email="ROSA@example.org", city=first.city))
    assert again.pk == first.pk and Proposal.objects.count() == 1 and len(mailoutbox) == 1
    OutgoingMail.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    with committed():
        services.proposal_submit(proposal=proposal(campaign, city=first.city))
    assert Proposal.objects.count() == 1 and len(mailoutbox) == 2  # its confirmation link again
    services.proposal_submit(proposal=proposal(campaign, city=first.city, title_es="Otra vigilia"))
    assert Proposal.objects.count() == 2


def test_confirming_twice_changes_nothing(campaign):
    made = services.proposal_submit(proposal=proposal(campaign))
    first = services.proposal_confirm(proposal=made)
    again = services.proposal_confirm(proposal=made)
    assert again.status == Proposal.Status.SUBMITTED and again.confirmed_at == first.confirmed_at


def test_only_a_proposal_under_review_is_decided(campaign):
    made = services.proposal_submit(proposal=proposal(campaign))
    with pytest.raises(services.NotUnderReview):
        services.proposal_approve(proposal=made, user=None)
    under_review = submitted(campaign)
    services.proposal_decline(proposal=under_review, user=None, message="Fuera de la campaña.")
    with pytest.raises(services.NotUnderReview):
        services.proposal_approve(proposal=under_review, user=None)
    assert not Action.objects.exists()


def test_changes_asked_go_to_the_host_and_a_correction_back_to_review(campaign, mailoutbox, committed):
    made = submitted(campaign)
    with committed():
        services.proposal_request_changes(proposal=made, user=None, message="Indique la dirección.")
    assert "Indique la dirección." in mailoutbox[-1].body and "/es/host/proposal/" in mailoutbox[-1].body
    made.refresh_from_db()
    made.address = "Av. Central 1"
    services.proposal_resubmit(proposal=made)
    made.refresh_from_db()
    assert made.status == Proposal.Status.SUBMITTED and made.address == "Av. Central 1"
    with pytest.raises(services.NotUnderReview):
        services.proposal_resubmit(proposal=made)


def test_a_declined_host_hears_why_in_their_language(campaign, mailoutbox, committed):
    with committed():
        services.proposal_decline(
            proposal=submitted(campaign, language="en", title_en="Vigil"), user=None, message="Too late."
        )
    assert mailoutbox[-1].subject == "Your proposal was not accepted: Vigil" and "Too late." in mailoutbox[-1].body


def test_approval_as_a_draft_publishes_nothing_and_names_the_organization(campaign):
    from tests.factories import OrganizationFactory

    organization = OrganizationFactory(name_en="Peace Brigades", name_es="Brigadas de Paz")
    made = submitted(campaign, title_en="Vigil for peace", organization="brigadas de paz")
    action = services.proposal_approve(proposal=made, user=None, draft=True)
    assert action.status == Action.Status.DRAFT and not Action.objects.published().exists()
    assert list(action.hosts.all()) == [organization]
    assert Proposal.objects.get().action == action


def test_a_new_host_link_kills_the_old_and_revoking_closes_it(campaign):
    from hosting.tokens import InvalidToken, RevokedLink, host_for_token, host_token

    action = services.proposal_approve(proposal=submitted(campaign, title_en="Vigil"), user=None)
    host = action.host_people.get()
    old = host_token(host)
    assert host_for_token(old) == host
    services.host_link_new(host=host)
    with pytest.raises(InvalidToken):
        host_for_token(old)
    new = host_token(host)
    services.host_revoke(host=host)
    with pytest.raises(RevokedLink):
        host_for_token(new)
    with pytest.raises(InvalidToken):
        host_for_token(new[:-2] + "xx")


def test_a_co_host_gets_their_own_link_once(campaign, mailoutbox, committed):
    action = services.proposal_approve(proposal=submitted(campaign, title_en="Vigil"), user=None)
    host = action.host_people.get()
    with committed():
        cohost = services.cohost_invite(host=host, name="Luis Gómez", email="luis@example.org", language="en")
    assert cohost.invited_by == host and cohost.token != host.token
    assert mailoutbox[-1].to == ["luis@example.org"] and "Rosa invites you to co-host" in mailoutbox[-1].body
    with pytest.raises(services.CohostRefused) as refused:
        services.cohost_invite(host=cohost, name="Rosa", email="ROSA@example.org", language="en")
    assert refused.value.code == "already" and Host.objects.get(pk=host.pk).token == host.token
    services.host_revoke(host=cohost)
    with pytest.raises(services.CohostRefused) as refused:
        services.cohost_invite(host=host, name="Luis", email="luis@example.org", language="en")
    assert refused.value.code == "revoked" and action.host_people.count() == 2


def test_messages_are_limited_per_action_per_day(campaign, settings):
    settings.HOST_MESSAGES_PER_DAY = 2
    action = services.proposal_approve(proposal=submitted(campaign, title_en="Vigil"), user=None)
    Signup.objects.create(action=action, name="A", email="a@example.org", language="es", status="confirmed")
    send = {"action": action, "audience": "confirmed", "subjects": {"es": "Hola"}, "bodies": {"es": "Texto"}}
    services.message_send(**send)
    services.message_send(**send)
    assert services.messages_left(action) == 0
    with pytest.raises(services.MessageLimitReached):
        services.message_send(**send)
    HostMessage.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    services.message_send(**send)


def test_a_message_goes_to_the_audience_chosen_only(campaign, mailoutbox, committed):
    action = services.proposal_approve(proposal=submitted(campaign, title_en="Vigil"), user=None)
    for status, email in (
        ("confirmed", "c@example.org"),
        ("waitlisted", "w@example.org"),
        ("cancelled", "x@example.org"),
    ):
        Signup.objects.create(action=action, name="V", email=email, language="es", status=status)
    with committed():
        message = services.message_send(
            action=action, audience="waitlisted", subjects={"en": "Hi", "es": "Hola"}, bodies={"en": "A", "es": "B"}
        )
    assert message.recipients == 1
    assert mailoutbox[-1].to == ["w@example.org"] and mailoutbox[-1].reply_to == []
    assert "otro idioma" not in mailoutbox[-1].body and "\nB\n" in mailoutbox[-1].body


def test_a_message_to_nobody_is_refused_and_uses_up_nothing(campaign):
    action = services.proposal_approve(proposal=submitted(campaign, title_en="Vigil"), user=None)
    Signup.objects.create(action=action, name="A", email="a@example.org", language="es", status="confirmed")
    with pytest.raises(services.NoRecipients):
        services.message_send(action=action, audience="waitlisted", subjects={"es": "Hola"}, bodies={"es": "Texto"})
    assert not HostMessage.objects.exists() and services.messages_left(action) == 3


def test_a_message_without_a_whole_language_is_refused(campaign):
    from django.core.exceptions import ValidationError

    action = services.proposal_approve(proposal=submitted(campaign, title_en="Vigil"), user=None)
    Signup.objects.create(action=action, name="A", email="a@example.org", language="es", status="confirmed")
    with pytest.raises(ValidationError):
        services.message_send(action=action, audience="confirmed", subjects={"es": "Hola"}, bodies={"en": "Text"})
    assert not HostMessage.objects.exists()


def test_check_in_is_open_from_the_actions_local_midnight_to_a_day_after_it(campaign):
    import zoneinfo

    zone = zoneinfo.ZoneInfo("America/Mexico_City")
    starts_at = datetime.datetime(2027, 3, 14, 18, 0, tzinfo=zone)
    made = submitted(campaign, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2))
    action = services.proposal_approve(proposal=made, user=None)
    action.refresh_from_db()
    assert not services.check_in_open(action, datetime.datetime(2027, 3, 13, 23, 59, tzinfo=zone))
    assert services.check_in_open(action, datetime.datetime(2027, 3, 14, 0, 0, tzinfo=zone))
    assert services.check_in_open(action, datetime.datetime(2027, 3, 15, 19, 59, tzinfo=zone))
    assert not services.check_in_open(action, datetime.datetime(2027, 3, 15, 20, 0, tzinfo=zone))
    with pytest.raises(services.CheckInClosed):
        services.check_in(action=action, signup_id=1, attended=True)


def test_check_in_reaches_only_the_actions_confirmed_volunteers(campaign):
    action = services.proposal_approve(proposal=submitted(campaign, title_en="Vigil"), user=None)
    other = services.proposal_approve(proposal=submitted(campaign, title_en="Other"), user=None)
    mine = Signup.objects.create(action=action, name="A", email="a@example.org", language="es", status="confirmed")
    theirs = Signup.objects.create(action=other, name="B", email="b@example.org", language="es", status="confirmed")
    with time_machine.travel(action.starts_at):
        assert services.check_in(action=action, signup_id=mine.pk, attended=True)
        assert not services.check_in(action=action, signup_id=theirs.pk, attended=True)
        theirs.refresh_from_db()
        assert theirs.attended_at is None
        assert services.check_in(action=action, signup_id=mine.pk, attended=False)
    mine.refresh_from_db()
    assert mine.attended_at is None


def test_hosts_edits_reach_volunteers_and_are_recorded(campaign, mailoutbox, committed):
    from hosting.models import HostChange

    action = services.proposal_approve(proposal=submitted(campaign, title_en="Vigil"), user=None)
    host = action.host_people.get()
    Signup.objects.create(action=action, name="A", email="a@example.org", language="en", status="confirmed")
    action.starts_at += datetime.timedelta(hours=1)
    action.ends_at += datetime.timedelta(hours=1)
    with committed():
        told = services.host_action_edit(host=host, action=action, fields=["starts_at", "ends_at"])
    assert told == ["time"] and mailoutbox[-1].to == ["a@example.org"]
    with committed():
        services.host_action_cancel(host=host, action=action)
    assert services.host_action_cancel(host=host, action=action) == []  # a second press: nothing more
    assert Action.objects.get(pk=action.pk).is_cancelled
    assert [(c.host_name, c.fields) for c in HostChange.objects.order_by("pk")] == [
        ("Rosa Pérez", ["starts_at", "ends_at"]),
        ("Rosa Pérez", ["status"]),
    ]


def test_hosts_data_is_erased_after_the_retention_period(campaign, settings):
    action = services.proposal_approve(proposal=submitted(campaign, title_en="Vigil"), user=None)
    declined = submitted(campaign)
    services.proposal_decline(proposal=declined, user=None, message="No.")
    unconfirmed = services.proposal_submit(proposal=proposal(campaign))
    later = timezone.now() + datetime.timedelta(days=settings.SIGNUP_RETENTION_DAYS - 1)
    assert services.hosting_erase(now=later) == {"deleted": 1, "proposals": 0, "hosts": 0}
    assert not Proposal.objects.filter(pk=unconfirmed.pk).exists()
    much_later = action.ends_at + datetime.timedelta(days=settings.SIGNUP_RETENTION_DAYS + 1)
    assert services.hosting_erase(now=much_later) == {"deleted": 0, "proposals": 2, "hosts": 1}
    host = Host.objects.get()
    assert (host.name, host.email, host.phone) == ("", "", "") and host.anonymized_at == much_later
    assert set(Proposal.objects.values_list("email", "host_name")) == {("", "")}
    assert Action.objects.get(pk=action.pk).title_en == "Vigil"  # what was published stays


def test_the_example_campaign_is_labelled_open_to_proposals_and_moves_ahead():
    from actions.seed import load_upcoming_example

    today = datetime.date(2026, 12, 4)
    campaign = load_upcoming_example(today=today)
    assert campaign.start_date == datetime.date(2026, 12, 25) and campaign.accepts_proposals(today)
    assert "Example" in campaign.title_en and "ejemplo" in campaign.title_es
    actions = list(campaign.actions.published().select_related("city"))
    assert len(actions) == 2 and all("xample" in a.title_en for a in actions)
    tapachula = next(a for a in actions if a.city.slug == "tapachula")
    assert tapachula.local_starts_at.strftime("%H:%M %Z") == "18:00 CST"
    again = load_upcoming_example(today=today + datetime.timedelta(days=7))
    assert again.pk == campaign.pk and again.start_date == datetime.date(2027, 1, 1)
    assert Action.objects.count() == 2
