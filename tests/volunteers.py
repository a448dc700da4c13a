"""What a volunteer's browser posts (the signup form) and follows (the links in their emails)."""

import re


def form(**changes):
    data = {"name": "Ana López", "email": "ana@example.org", "phone": "", "language": "es", "consent": "on"}
    return {**data, **changes}


def sign_up(client, action, lang="es", **changes):
    return client.post(f"/{lang}/actions/{action.slug}/signup/", form(**changes))


def link(message, name):
    """The path of the confirm or manage link in an email's text."""
    return re.search(rf"https?://[^/\s]+(/\w\w/signups/{name}/\S+/)", message.body).group(1)
