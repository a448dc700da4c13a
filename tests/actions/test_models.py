"""actions/models.py: what the database and the models' validation refuse, and times stored in UTC
and read in the action's own zone."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from actions.models import Action, City
from tests.factories import ActionFactory, CampaignFactory, CityFactory, local

pytestmark = pytest.mark.django_db


def test_database_rejects_an_action_that_ends_before_it_starts():
    action = ActionFactory()
    action.ends_at = action.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(IntegrityError, match="action_ends_after_start"), transaction.atomic():
        action.save()


def test_database_rejects_an_action_that_ends_when_it_starts():
    action = ActionFactory()
    action.ends_at = action.starts_at
    with pytest.raises(IntegrityError, match="action_ends_after_start"), transaction.atomic():
        action.save()


def test_validation_explains_an_end_before_the_start_on_the_end_field():
    action = ActionFactory.build(city=CityFactory(), campaign=None)
    action.ends_at = action.starts_at - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "ends_at" in error.value.message_dict


def test_database_rejects_capacity_zero():
    with pytest.raises(IntegrityError, match="action_capacity_positive"), transaction.atomic():
        ActionFactory(capacity=0)


def test_capacity_empty_means_unlimited_and_one_is_allowed():
    assert ActionFactory(capacity=None).capacity is None
    assert ActionFactory(capacity=1).capacity == 1


def test_database_rejects_an_unknown_status():
    with pytest.raises(IntegrityError, match="action_status_known"), transaction.atomic():
        ActionFactory(status="secret")


def test_database_rejects_a_campaign_ending_before_it_starts():
    with pytest.raises(IntegrityError, match="campaign_ends_after_start"), transaction.atomic():
        CampaignFactory(start_date=datetime.date(2023, 6, 30), end_date=datetime.date(2023, 6, 29))


def test_database_rejects_an_unknown_country():
    with pytest.raises(IntegrityError, match="city_country_known"), transaction.atomic():
        CityFactory(country="CA")


def test_database_rejects_an_impossible_latitude():
    with pytest.raises(IntegrityError, match="city_latitude_range"), transaction.atomic():
        CityFactory(latitude=91)


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "America/Atlantis", "", "../etc/passwd"])
def test_validation_rejects_a_bad_time_zone(zone):
    city = CityFactory.build(time_zone=zone)
    with pytest.raises(ValidationError) as error:
        city.full_clean()
    assert "time_zone" in error.value.message_dict


def test_validation_accepts_an_iana_time_zone():
    CityFactory.build(time_zone="America/Tijuana").full_clean()


def test_time_zone_error_is_in_spanish_for_a_spanish_organizer():
    city = CityFactory.build(time_zone="Mars/Olympus_Mons")
    with translation.override("es"):
        with pytest.raises(ValidationError) as error:
            city.full_clean()
        assert "no es una zona horaria conocida" in error.value.message_dict["time_zone"][0]


def test_an_action_at_18_in_mexico_city_is_stored_as_midnight_utc_next_day():
    city = CityFactory(time_zone="America/Mexico_City")
    action = ActionFactory(city=city, starts_at=local(2023, 6, 30, 18, 0, "America/Mexico_City"))
    action.refresh_from_db()
    assert action.starts_at == datetime.datetime(2023, 7, 1, 0, 0, tzinfo=datetime.UTC)
    assert action.local_starts_at.hour == 18
    # Mexico abolished daylight saving time in 2022: June is Central Standard Time.
    assert action.local_starts_at.tzname() == "CST"


def test_a_us_action_observes_daylight_saving_time():
    city = CityFactory(country="US", time_zone="America/New_York")
    summer = ActionFactory(city=city, starts_at=local(2023, 6, 30, 18, 0, "America/New_York"))
    winter = ActionFactory(city=city, starts_at=local(2023, 12, 1, 18, 0, "America/New_York"))
    assert summer.starts_at.astimezone(datetime.UTC).hour == 22
    assert winter.starts_at.astimezone(datetime.UTC).hour == 23
    assert (summer.local_starts_at.tzname(), winter.local_starts_at.tzname()) == ("EDT", "EST")


def test_online_action_uses_its_campaigns_time_zone():
    campaign = CampaignFactory(time_zone="America/Los_Angeles")
    action = ActionFactory(city=None, campaign=campaign)
    assert action.is_online
    assert str(action.zone) == "America/Los_Angeles"


def test_translated_title_falls_back_to_the_other_language():
    action = ActionFactory(title_en="Vigil in Tapachula", title_es="")
    city = CityFactory(name_en="", name_es="Ciudad Juárez")
    action, city = Action.objects.get(pk=action.pk), City.objects.get(pk=city.pk)
    with translation.override("es"):
        assert action.title == "Vigil in Tapachula"
    with translation.override("en"):
        assert city.name == "Ciudad Juárez"


@pytest.mark.parametrize("zone", ["America", "Etc", "localtime", "posixrules", "right/UTC"])
def test_validation_rejects_folders_and_system_only_zone_files(zone):
    with pytest.raises(ValidationError) as error:
        CityFactory.build(time_zone=zone).full_clean()
    assert "time_zone" in error.value.message_dict


@pytest.mark.parametrize(
    ("field", "moment"),
    [
        ("ends_at", datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC)),
        ("starts_at", datetime.datetime(1, 1, 1, 12, 0, tzinfo=datetime.UTC)),
    ],
)
def test_validation_rejects_years_that_cannot_be_shown(field, moment):
    action = ActionFactory.build(city=CityFactory(), campaign=None)
    setattr(action, field, moment)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert error.value.message_dict[field] == ["Enter a date between 2000 and 2099."]


def test_database_rejects_years_out_of_range():
    with pytest.raises(IntegrityError, match="action_times_in_range"), transaction.atomic():
        ActionFactory(
            starts_at=datetime.datetime(2099, 12, 31, 12, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2100, 1, 2, tzinfo=datetime.UTC),
        )


@pytest.mark.parametrize(("field", "value"), [("latitude", 200), ("latitude", -91), ("longitude", 181)])
def test_validation_explains_an_impossible_coordinate_on_its_field(field, value):
    with pytest.raises(ValidationError) as error:
        CityFactory.build(**{field: value}).full_clean()
    assert list(error.value.message_dict) == [field]


def test_the_date_range_is_read_in_the_actions_local_time():
    san_francisco = CityFactory(country="US", time_zone="America/Los_Angeles")
    new_years_eve = ActionFactory.build(
        city=san_francisco,
        campaign=None,
        starts_at=local(2099, 12, 31, 18, 0, "America/Los_Angeles"),  # already 2100 in UTC
        ends_at=local(2099, 12, 31, 20, 0, "America/Los_Angeles"),
    )
    new_years_eve.full_clean()
    new_years_eve.save()
    too_early = ActionFactory.build(
        city=san_francisco,
        campaign=None,
        starts_at=local(1999, 12, 31, 20, 0, "America/Los_Angeles"),  # already 2000 in UTC
        ends_at=local(1999, 12, 31, 22, 0, "America/Los_Angeles"),
    )
    with pytest.raises(ValidationError) as error:
        too_early.full_clean()
    assert set(error.value.message_dict) == {"starts_at", "ends_at"}
