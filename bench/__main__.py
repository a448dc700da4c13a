"""Every benchmark of issues 8 and 18 on fresh load data, each writing its figures into docs/performance.md
(`make bench`). usage: python -m bench [--write docs/performance.md] [--only pages,surge] [--keep-database]

Needs DATABASE_URL (a PostgreSQL database of its own: it is dropped and made again, with
`generate_load_data`, unless --keep-database), REDIS_URL and wrk. The page-weight figures come from
`python -m bench.page_weight` against `make run` (see docs/performance.md)."""

import argparse
import os
import time
from pathlib import Path

import django
import psycopg

from .report import machine, write_section

SECTIONS = ("dispatch", "admin-lists", "search", "inprocess", "pages", "surge", "reminders")


def fresh_database(settings_dict: dict) -> None:
    """Drop and create the benchmark database, through the server's `postgres` database."""
    name = settings_dict["NAME"]
    server = {
        key: settings_dict[key.upper()] for key in ("host", "port", "user", "password") if settings_dict[key.upper()]
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def section(name: str) -> str:
    from . import admin_lists, dispatch, inprocess, pages, reminders, search, surge

    runners = {
        "dispatch": dispatch.run,
        "admin-lists": admin_lists.run,
        "search": search.run,
        "inprocess": inprocess.run,
        "pages": pages.run,
        "surge": surge.run,
        "reminders": reminders.run,  # last: it adds 100,000 signups
    }
    return runners[name]()


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", type=Path, help="put the figures in this Markdown file")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"some of {','.join(SECTIONS)}")
    parser.add_argument("--keep-database", action="store_true", help="use the database and its data as they are")
    args = parser.parse_args()
    if unknown := set(args.only.split(",")) - set(SECTIONS):  # before the database is dropped
        parser.error(f"unknown sections {', '.join(sorted(unknown))}: choose among {','.join(SECTIONS)}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movement.settings")
    from django.conf import settings

    assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), "set DATABASE_URL to a PostgreSQL database"
    if not args.keep_database:
        fresh_database(settings.DATABASES["default"])
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # gunicorn serves the hashed names
    if not args.keep_database:
        call_command("generate_load_data")
    if args.write:
        write_section(args.write, "bench:machine", machine())
    for name in args.only.split(","):
        started = time.monotonic()
        text = section(name)
        print(f"\n## {name} ({time.monotonic() - started:.0f} s)\n\n{text}", flush=True)
        if args.write:
            write_section(args.write, f"bench:{name}", text)


if __name__ == "__main__":
    main()
