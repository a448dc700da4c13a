"""Sorting translated text by what the visitor reads: the active language's text, else the fallback's."""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, F, Model, TextField, Value
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce, Collate, NullIf
from django.db.models.sql.compiler import SQLCompiler
from django.utils.deconstruct import deconstructible
from django.utils.translation import to_locale
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order


class _Collated(Collate):
    """COLLATE on PostgreSQL, whose ICU collations sort as the language does; SQLite (`make run`)
    knows no such names: there its NOCASE, which ignores the case of ASCII letters only."""

    def as_sql(  # type: ignore[override]  # the signature of Collate's own
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        return compiler.compile(self.get_source_expressions()[0])

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"{sql} COLLATE NOCASE", params

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        return super().as_sql(compiler, connection, **extra_context)


def icu_collation(language: str) -> str:
    """PostgreSQL's ICU collation for a language code: "es" -> "es-x-icu", "pt-br" -> "pt-BR-x-icu"."""
    return f"{to_locale(language).replace('_', '-')}-x-icu"


def _fallback_languages(model: type[Model] | None, path: list[str], field: str) -> dict | None:
    # The field's own fallbacks (TranslationOptions.fallback_languages), as its descriptor reads them.
    for name in path:
        model = model and model._meta.get_field(name).related_model
    return getattr(getattr(model, field, None), "fallback_languages", None)


@deconstructible(path="common.ordering.ReadOrder")
class ReadOrder(Expression):
    """A translated field ("name", or across relations "city__name") as the visitor reads it, to sort by:
    its text in the active language, else in the fallback languages in modeltranslation's order (NULL and
    "" count as missing), collated for the active language on PostgreSQL.

    The language is the one active when the query is compiled, so that it serves in Meta.ordering and in
    querysets built at import time; in annotate() it is the one active then. `.desc()` sorts backwards.
    """

    def __init__(self, field: str) -> None:
        super().__init__()
        self.name = field

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    def prefix_references(self, prefix: str) -> "ReadOrder":
        # Ordering by a relation ("city") follows the related model's Meta.ordering through this.
        return type(self)(f"{prefix}{self.name}")

    def resolve_expression(  # type: ignore[override]  # it becomes another expression, as F does
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Expression:
        language = get_language()
        *path, field = self.name.split(LOOKUP_SEP)
        languages = resolution_order(language, _fallback_languages(getattr(query, "model", None), path, field))
        texts = [
            NullIf(F(LOOKUP_SEP.join([*path, build_localized_fieldname(field, code)])), Value("")) for code in languages
        ]
        # Each language's column is a field class of its own: the text's type is said once.
        text = Coalesce(*texts, output_field=TextField()) if len(texts) > 1 else texts[0]
        return _Collated(text, icu_collation(language)).resolve_expression(
            query, allow_joins, reuse, summarize, for_save
        )


def collated(field: str) -> Expression:
    """A plain text field (not translated: a person's name) to sort by as the active language reads
    it: "Ángel" with the a's, "Ñeco" after "Nora" in Spanish; case and accents second. The language
    is the one active when this is called."""
    return _Collated(F(field), icu_collation(get_language()))
