from django.core.management.base import BaseCommand

from actions import reminders


class Command(BaseCommand):
    help = (
        "Record the reminders due now and hand them to the Celery workers: one round of what beat runs "
        "every minute, for sites that run it from cron instead."
    )

    def handle(self, *args, **options):
        result = reminders.dispatch()
        self.stdout.write(
            "Reminders: {queued} newly due, {enqueued} handed to workers, {skipped} skipped "
            "(their action started or moved).".format(**result)
        )
