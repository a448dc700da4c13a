import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the demo organizer account (a superuser) and print its password once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="organizer")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Demo organizer '{username}' already exists; its password was printed when it was created "
                f"(reset it with: .venv/bin/python manage.py changepassword {username})."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(f"Demo organizer created. Log in at /admin/ as '{username}' with password: {password}")
        )
