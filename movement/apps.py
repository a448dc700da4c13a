from django.contrib.admin.apps import AdminConfig


class MovementAdminConfig(AdminConfig):
    """django.contrib.admin, whose site is ours: with two-factor login (see movement/admin_site.py)."""

    default_site = "movement.admin_site.MovementAdminSite"
