"""actions/load_data.py: the synthetic data the benchmarks run on (`manage.py generate_load_data`);
tests/bench/ runs the benchmarks' quick checks on it."""

import pytest
from django.core.management import CommandError, call_command

from actions.load_data import LOAD_DOMAIN, Scale, generate
from actions.models import Action, Signup
from tests.factories import SignupFactory

pytestmark = pytest.mark.django_db

SMALL = Scale(cities=6, campaigns=3, actions=30, signups=900, demands=3, outcomes=5)


def test_the_generator_writes_every_status_in_both_languages_and_keeps_the_rules():
    counts = generate(SMALL)
    assert counts == {"cities": 6, "campaigns": 3, "actions": 30, "signups": 900, "demands": 3, "outcomes": 5}
    signups = Signup.objects.all()
    assert set(signups.values_list("status", flat=True)) == {"confirmed", "pending", "waitlisted", "cancelled"}
    assert set(signups.values_list("language", flat=True)) == {"en", "es"}
    for action in Action.objects.with_seat_counts().exclude(capacity=None):
        assert action.confirmed_count <= action.capacity
    assert signups.values("email").distinct().count() == 900
    assert not Signup.objects.exclude(email__endswith=LOAD_DOMAIN).exists()


def test_the_generator_refuses_a_database_with_real_signups_unless_forced():
    SignupFactory()
    with pytest.raises(CommandError, match="real signups"):
        call_command("generate_load_data", "--signups=30", "--actions=3", "--cities=3", "--outcomes=1")
    assert Signup.objects.count() == 1
    call_command("generate_load_data", "--signups=30", "--actions=3", "--cities=3", "--outcomes=1", "--force")
    assert Signup.objects.count() == 31
