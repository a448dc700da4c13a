"""Organizer roles. Coordinators see and edit the whole movement; local hosts only the actions of
the cities they host (LocalHost.cities) and those actions' signups, and they cannot export
volunteers, delete, or edit demands and outcomes. Roles are Django groups; `setup_roles` creates
them with their permissions."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .models import City

COORDINATOR = "coordinator"
LOCAL_HOST = "local host"

# (app label, model): the actions a role may take on it.
ROLE_PERMISSIONS = {
    LOCAL_HOST: {
        ("actions", "action"): ("view", "add", "change"),
        ("actions", "signup"): ("view", "change"),
        ("actions", "outgoingmail"): ("view",),
        ("actions", "city"): ("view",),
        ("actions", "campaign"): ("view",),
        ("actions", "organization"): ("view",),
        ("demands", "demand"): ("view",),
        ("demands", "outcome"): ("view",),
        ("demands", "demandstatuschange"): ("view",),
        # Hosting from below: they review their cities' proposals (no deleting), see who hosts
        # their actions, and write to those actions' volunteers.
        ("hosting", "proposal"): ("view", "change"),
        ("hosting", "host"): ("view",),
        ("hosting", "hostmessage"): ("view", "add"),
        ("hosting", "hostchange"): ("view",),
        ("hosting", "actionreport"): ("view",),
    },
}
# Coordinators also give staff their two-factor devices and lift login lockouts.
COORDINATOR_APPS = ("actions", "demands", "hosting", "django_celery_beat", "otp_totp", "axes")


def setup_roles() -> None:
    """Create or update the two groups and their permissions; safe to run again."""
    coordinator, _created = Group.objects.get_or_create(name=COORDINATOR)
    # Seeing users (not changing them, which would let one grant oneself anything) lets a
    # coordinator pick who hosts a city.
    coordinator.permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label__in=COORDINATOR_APPS) | Q(content_type__app_label="auth", codename="view_user")
        )
    )
    for name, models in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = Q(pk__in=[])
        for (app_label, model), verbs in models.items():
            codenames = [f"{verb}_{model}" for verb in verbs]
            wanted |= Q(content_type__app_label=app_label, content_type__model=model, codename__in=codenames)
        group.permissions.set(Permission.objects.filter(wanted))


def make_local_host(user) -> None:
    """Put `user` in the local host group and let them log in to the admin."""
    user.groups.add(Group.objects.get_or_create(name=LOCAL_HOST)[0])
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def hosted_cities(user):
    """The cities whose actions `user` may reach in the admin: a City queryset for a local host (empty
    if they host none), None for everyone else, whose model permissions alone decide."""
    if user.is_superuser:
        return None
    groups = set(user.groups.values_list("name", flat=True))
    if LOCAL_HOST not in groups or COORDINATOR in groups:
        return None
    return City.objects.filter(local_hosts__user=user)
