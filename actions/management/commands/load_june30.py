from django.core.management.base import BaseCommand

from actions.seed import JUNE_30, load_day_of_action


class Command(BaseCommand):
    help = "Load the June 30, 2023 day of action (campaign, cities, actions, demands, outcomes). Safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Overwrite rows that already exist with the repository's data."
        )

    def handle(self, *args, reset: bool = False, **options):
        changed = load_day_of_action(JUNE_30, reset=reset)
        self.stdout.write(f"June 30 day of action: {changed} rows created or reset.")
