"""What an organizer's browser posts from the admin's forms, and the admin's URLs."""

from django.urls import reverse


def action_form_data(admin_client, action, **changes) -> dict:
    """The action's change form as the admin fills it in, with `changes` (form field names: the
    start is starts_at_0 and starts_at_1, date and local time). Hosts and demands are left out, and
    capacity is left empty unless given."""
    url = reverse("admin:actions_action_change", args=[action.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("hosts", "demands")}
    for name in ("starts_at", "ends_at", "capacity"):
        data.pop(name, None)
    data.update({"city": action.city_id, "campaign": action.campaign_id, **changes})
    return data


def form_data(response, **changes) -> dict:
    """The admin change or add form in `response` (a GET) as a browser posts it untouched, its
    inline formsets included, with `changes` (form field names) applied."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list | tuple) else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for form in formset.forms:
            add(form)
    data.update(changes)
    return data


def admin_url(model, view, *args) -> str:
    """The admin's `view` page ("changelist", "add", "change"...) of `model`."""
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
