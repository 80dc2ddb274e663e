"""Database helpers shared by the apps."""

from django.db.models import CharField, F, Func, Q, Value
from django.db.models.functions import Collate, Lower, Replace

from jmu_planner import i18n
from jmu_planner.text import search_key

LATIN_COLLATION = "sr-Latn-x-icu"
CYRILLIC_COLLATION = "sr-Cyrl-x-icu"


class SerbianCollate(Collate):
    """Sort Serbian names as Serbian readers expect (C, Č, Ć, D, Dž, Đ ...).

    PostgreSQL's default collation puts Č, Ć, Š and Ž after Z; its ICU collation for Serbian Latin
    does not. SQLite, the embedded default, has no ICU collations and keeps its own order.
    """

    def __init__(self, expression, collation: str = LATIN_COLLATION):
        super().__init__(expression, collation)

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])


class ScriptOrder(Func):
    """Order by a name in the reader's script: the Cyrillic column in Serbian Cyrillic order
    (а б в г д ђ е ж ... ц ч џ ш), else the Latin column in Serbian Latin order (c č ć d dž đ ...).

    The script is read when the query is compiled, not when it is built, so a queryset made at
    import time (a filter's dropdown) still sorts in the script of the request that runs it.
    """

    output_field = CharField()

    def __init__(self, latin: str, cyrillic: str):
        super().__init__(F(latin), F(cyrillic))

    def _chosen(self):
        latin, cyrillic = self.source_expressions
        if i18n.is_cyrillic():
            return SerbianCollate(cyrillic, CYRILLIC_COLLATION)
        return SerbianCollate(latin, LATIN_COLLATION)

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self._chosen())

    def as_sqlite(self, compiler, connection, **extra_context):
        # No ICU in SQLite: plain code-point order of the reader's column is the graceful fallback.
        return compiler.compile(self._chosen().source_expressions[0])


_FOLDS = [("č", "c"), ("ć", "c"), ("š", "s"), ("ž", "z"), ("Č", "c"), ("Ć", "c"), ("Š", "s"), ("Ž", "z")]


def _search_key_expression(field: str, dj: str):
    """text.search_key in SQL, for a Latin-script column. Upper-case letters with diacritics are
    folded explicitly: SQLite's lower() only lowers ASCII."""
    expression = Lower(field)
    for char, plain in [*_FOLDS, ("đ", dj), ("Đ", dj)]:
        expression = Replace(expression, Value(char), Value(plain))
    return expression


def matches_name(queryset, query: str, *latin_fields: str):
    """Rows where one of the Latin-script `latin_fields` contains `query` in either script, any
    case, with or without diacritics ("Cacak", "Čačak", "Чачак", "CACAK"; "Djurdjevo" and
    "Durdevo" for Đurđevo). Returns the queryset annotated and a Q to filter it with."""
    key = search_key(query)
    condition = Q()
    for i, field in enumerate(latin_fields):
        queryset = queryset.annotate(
            **{
                f"_search_{i}_dj": _search_key_expression(field, "dj"),
                f"_search_{i}_d": _search_key_expression(field, "d"),
            }
        )
        condition |= Q(**{f"_search_{i}_dj__contains": key}) | Q(**{f"_search_{i}_d__contains": key})
    return queryset, condition
