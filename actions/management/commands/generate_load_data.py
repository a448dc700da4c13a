import time

from django.core.management.base import BaseCommand, CommandError

from actions.load_data import RealSignupsPresent, Scale, generate


class Command(BaseCommand):
    help = (
        "Write load data at the scale of a national day of action (3,000 actions in 300 cities, 300,000 "
        "signups...) with bulk inserts. Refuses to run beside real signups unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--signups", type=int, default=Scale.signups)
        parser.add_argument("--actions", type=int, default=Scale.actions)
        parser.add_argument("--cities", type=int, default=Scale.cities)
        parser.add_argument("--outcomes", type=int, default=Scale.outcomes)
        parser.add_argument("--force", action="store_true", help="write even beside real signups")

    def handle(self, *args, signups, actions, cities, outcomes, force, **options):
        scale = Scale(cities=cities, actions=actions, signups=signups, outcomes=outcomes)
        started = time.monotonic()
        try:
            counts = generate(scale, force=force)
        except RealSignupsPresent as error:
            raise CommandError(str(error)) from None
        written = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(f"Wrote {written} in {time.monotonic() - started:.1f} s.")
