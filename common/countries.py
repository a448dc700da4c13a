from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    """The coalition's two countries, as ISO 3166-1 alpha-2 codes."""

    US = "US", _("United States")
    MX = "MX", _("Mexico")
