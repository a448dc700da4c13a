import pytest

from tests.factories import ActionFactory, CityFactory

from .clock import HOUR, START


@pytest.fixture
def vigil():
    """The vigil in Tapachula at START, at a park: the action of the reminder tests (clock.py)."""
    city = CityFactory(name_en="Tapachula", name_es="Tapachula", time_zone="America/Mexico_City")
    return ActionFactory(
        city=city,
        title_en="Vigil in Tapachula",
        title_es="Vigilia en Tapachula",
        venue="Parque Central",
        address="Av. Central 1",
        starts_at=START,
        ends_at=START + 2 * HOUR,
    )
