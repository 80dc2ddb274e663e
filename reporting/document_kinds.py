"""The printable subjects, each registered once: what a PDF of it looks like, who may see and ask
for it, and what its file is called.

A kind is named after the Document field that points at its subject ("plan", "report",
"engagement", "final_report"); that name is also the word in the documents page's URL. The
pipeline (reporting.documents), the Document model, the one documents page and the Retry button
look a kind up here instead of asking "which subject is this?".

Plans and reports register in reporting.documents; the experts' documents in
stakeholders.engagements.documents and stakeholders.experts.documents (they sit above reporting,
so reporting never imports them). Each app's AppConfig.ready() imports its registrations, so the
registry is complete before the first request or task. This module imports no models: the
Document model reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404


def _never(subject: Any) -> bool:
    return False


def _every_document(user: Any) -> Q:
    return Q()


@dataclass(frozen=True)
class DocumentKind:
    # The Document field naming the subject, and the word in the URL of its documents page.
    name: str
    # The print layout (templates/pdf/), fed by `context` plus the document and the time it was made.
    template: str
    # Everything the print layout shows to `reader` (who asked for the document), loaded with a fixed
    # number of queries (the template runs none): context(subject, reader=user).
    context: Callable[..., dict[str, Any]]
    # The subjects a user may see (and so the documents they may list and download): the rows
    # `visible_to` the user, loaded as the documents page shows them. A subject outside is a 404.
    subjects: Callable[[Any], QuerySet]
    # The access action (jmu_planner.access) that decides who may ask for a PDF or retry one.
    request_action: str
    # The PDF's file name before "-<document id>.pdf" (slugified by the pipeline).
    file_stem: Callable[[Any], str]
    # The subject's own page, for the documents page's way back.
    page_url: Callable[[Any], str]
    # What the way back to the subject's page says.
    label: Callable[[Any], str] = str
    # Whether a PDF made before of this subject may be served again instead of a new render
    # (a version that can no longer change: jmu_planner.fragment_cache.may_cache).
    keep: Callable[[Any], bool] = _never
    # Which of the visible subjects' documents the user may read, when a document holds only what its
    # asker may see (a shared engagement's PDF holds the asker's LSG's part): a filter on Document.
    readable: Callable[[Any], Q] = _every_document
    # The Word copy (DOCX bytes) built from `context`'s data, for the kinds that have one
    # (reporting.word_copies); None: the kind prints as PDF only.
    word: Callable[[dict[str, Any]], bytes] | None = None
    # Whether its PDF is a document of record to archive (an adopted plan, an accepted report):
    # made as PDF/A (reporting.documents.ARCHIVAL_VARIANT), every font embedded, tagged.
    archival: Callable[[Any], bool] = _never


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    """Add a kind (once, from the module that builds its data)."""
    if kind.name in KINDS and KINDS[kind.name] != kind:
        raise ValueError(f"Document kind {kind.name!r} is registered twice")
    KINDS[kind.name] = kind
    return kind


def kind_named(name: str) -> DocumentKind:
    """The kind a URL names; an unknown one is a 404."""
    try:
        return KINDS[name]
    except KeyError:
        raise Http404 from None
