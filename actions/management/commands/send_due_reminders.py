from django.core.management.base import BaseCommand

from actions import mail


class Command(BaseCommand):
    help = (
        "Record the reminders due now and hand every email that is ready to the Celery workers: one round "
        "of what beat runs every minute, for sites that run it from cron instead."
    )

    def handle(self, *args, **options):
        result = mail.mail_dispatch()
        self.stdout.write(
            "Mail: {queued} reminders newly due, {enqueued} emails handed to workers, {skipped} reminders "
            "skipped (their action started or moved).".format(**result)
        )
