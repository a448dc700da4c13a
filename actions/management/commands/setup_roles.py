from django.core.management.base import BaseCommand

from actions.roles import COORDINATOR, LOCAL_HOST, setup_roles


class Command(BaseCommand):
    help = f"Create the organizer groups '{COORDINATOR}' and '{LOCAL_HOST}' with their permissions (safe to re-run)."

    def handle(self, *args, **options):
        setup_roles()
        self.stdout.write(f"Groups '{COORDINATOR}' and '{LOCAL_HOST}' are set up.")
