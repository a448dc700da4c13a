#!/usr/bin/env python
import os
import sys
from pathlib import Path

import environ


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movement.settings")
    # manage.py is the developer's tool: debug mode unless DEBUG (in the environment or .env) says
    # otherwise. Servers start from movement/wsgi.py or asgi.py, where DEBUG is off by default and
    # SECRET_KEY is required.
    environ.Env.read_env(Path(__file__).resolve().parent / ".env")
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
