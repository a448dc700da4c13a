"""sitemap.xml: every public page, in each language, with its hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from actions.models import Action, Campaign, City
from demands.models import Demand, Outcome


class PublicSitemap(Sitemap):
    i18n = True  # one entry per language, under /en/ and /es/
    alternates = True  # each with its other-language versions
    x_default = True


class PagesSitemap(PublicSitemap):
    def items(self):
        return [
            "home",
            "actions:action_list",
            "actions:campaign_list",
            "demands:demand_list",
            "demands:outcome_list",
            "privacy",
        ]

    def location(self, item):
        return reverse(item)


class ActionSitemap(PublicSitemap):
    def items(self):
        return Action.objects.published().order_by("pk")

    def lastmod(self, action):
        return action.updated_at


class ModelSitemap(PublicSitemap):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def items(self):
        return self.model.objects.order_by("pk")


class CitySitemap(PublicSitemap):
    def items(self):
        return City.objects.public().order_by("pk")


SITEMAPS = {
    "pages": PagesSitemap,
    "actions": ActionSitemap,
    "campaigns": ModelSitemap(Campaign),
    "cities": CitySitemap,
    "demands": ModelSitemap(Demand),
    "outcomes": ModelSitemap(Outcome),
}
