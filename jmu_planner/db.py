"""Database helpers shared by the apps."""

from django.db.models.functions import Collate


class SerbianCollate(Collate):
    """Sort Serbian names as Serbian readers expect (C, Č, Ć, D, Dž, Đ ...).

    PostgreSQL's default collation puts Č, Ć, Š and Ž after Z; its ICU collation for Serbian Latin
    does not. SQLite, the embedded default, has no ICU collations and keeps its own order.
    """

    def __init__(self, expression):
        super().__init__(expression, "sr-Latn-x-icu")

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])
