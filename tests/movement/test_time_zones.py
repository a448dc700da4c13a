"""movement/__init__.py: time zones come from the pinned tzdata package, whatever zone files the
machine has."""

import importlib.resources
import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

# 18:00 UTC on July 1, 2025, as the app shows it in Mexico City, which has had no daylight time
# since October 2022: tz data older than that says 13:00 CDT.
SHOW = (
    "import datetime; from django.utils import timezone; "
    "print(timezone.localtime(datetime.datetime(2025, 7, 1, 18, tzinfo=datetime.UTC)).strftime('%H:%M %Z %z'))"
)
ENTRY_POINTS = {
    "manage.py": ["manage.py", "shell", "-v0", "-c", SHOW],
    # What gunicorn (movement.wsgi) and Celery (-A movement) import first, with production settings.
    "server": ["-c", f"import movement.wsgi; {SHOW}"],
}
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "time-zone-tests-only",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_URL": "smtp://127.0.0.1:25",
}


@pytest.fixture(params=["wrong", "empty"])
def system_zone_files(request, tmp_path):
    """A folder for PYTHONTZPATH: either with the wrong rules for Mexico City (Chicago's, with
    daylight time, as in tz data before 2022) or with no zone files at all."""
    if request.param == "wrong":
        chicago = importlib.resources.files("tzdata.zoneinfo").joinpath("America", "Chicago")
        (tmp_path / "America").mkdir()
        with importlib.resources.as_file(chicago) as source:
            shutil.copyfile(source, tmp_path / "America" / "Mexico_City")
    return tmp_path


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_mexico_city_has_no_daylight_time_whatever_the_system_zone_files(entry_point, system_zone_files):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {"PYTHONTZPATH": str(system_zone_files), "TIME_ZONE": "America/Mexico_City"}
    env |= PRODUCTION if entry_point == "server" else {}
    result = subprocess.run(
        [sys.executable, *ENTRY_POINTS[entry_point]],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "12:00 CST -0600"
