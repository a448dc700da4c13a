from modeltranslation.translator import TranslationOptions, register

from .models import Action, Campaign, City, Organization


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(City)
class CityTranslationOptions(TranslationOptions):
    fields = ("name", "region")
    required_languages = ("en",)


@register(Campaign)
class CampaignTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "description")
    required_languages = ("en",)


@register(Action)
class ActionTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en",)
