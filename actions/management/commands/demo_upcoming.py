from django.core.management.base import BaseCommand
from django.utils import timezone

from actions.seed import load_upcoming_example


class Command(BaseCommand):
    help = (
        "Create (or move ahead) a clearly labelled example campaign three weeks from today, open to "
        "proposals, with two actions that take signups: to try signups, reminders and proposals."
    )

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=3, help="How many weeks ahead (default 3).")

    def handle(self, *args, weeks: int, **options):
        campaign = load_upcoming_example(today=timezone.localdate(), weeks_ahead=weeks)
        self.stdout.write(
            f"Example campaign on {campaign.start_date:%Y-%m-%d}: /en{campaign.get_absolute_url()[3:]} "
            f"(proposals: /en/host/?campaign={campaign.slug})"
        )
