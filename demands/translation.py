from modeltranslation.translator import TranslationOptions, register

from .models import Demand, DemandStatusChange, Outcome


@register(Demand)
class DemandTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en",)


@register(Outcome)
class OutcomeTranslationOptions(TranslationOptions):
    fields = ("title", "description", "institution")
    required_languages = ("en",)


@register(DemandStatusChange)
class DemandStatusChangeTranslationOptions(TranslationOptions):
    fields = ("note",)
    required_languages = ("en",)
