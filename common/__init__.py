"""The shared floor: what every app of the site uses (countries, Markdown, site links, translation
helpers, middleware, the log filter, admin pieces, the feed base class, the site-wide template tags).

It imports no app of ours (actions, demands, api): apps import it, never the reverse. Not a Django app
either: it has no models, and its template tags are named in settings.TEMPLATES."""
