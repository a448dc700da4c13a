from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django REST framework's Spanish catalogue, which outranks Django's own, words this form error
# differently ("Este campo es requerido."). Ours outranks both and keeps Django's wording everywhere.
DJANGO_WORDING = [gettext_noop("This field is required.")]


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Public API")
