"""The public pages (no log-in): the programme's index of LSGs with published plans, each LSG's
published plans and annual reports, a published report's aggregate figures, and their files.

Everything is read through reporting.publication's published_* querysets: an unpublished, draft
or superseded-but-never-published subject is a 404, as is every other row. The pages are cached by
the browser (Cache-Control with an ETag that changes whenever a publication or a PDF does),
throttled per client address (as the read API is), and in the reader's language (the language
menu works logged out).
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from rest_framework.throttling import SimpleRateThrottle

from reporting import publication
from reporting.document_kinds import kind_named
from reporting.views import word_response
from stakeholders.models import LSG, ProgrammeCohort


class PublicPageThrottle(SimpleRateThrottle):
    """PUBLIC_THROTTLE_RATE per client address, told apart as the read API's anonymous clients are
    (its NUM_PROXIES setting), counted in the default cache."""

    scope = "public"

    def get_rate(self) -> str:
        return settings.PUBLIC_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def public_page(view):
    """Throttle, answer 304 when the browser's copy is current, and let browsers keep it a while."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not PublicPageThrottle().allow_request(request, None):
            response = HttpResponse(_("Too many requests: try again in a minute."), status=429)
            response["Retry-After"] = "60"
            return response
        digest = hashlib.sha256(f"{publication.public_version()}|{request.path}".encode()).hexdigest()[:32]
        etag = f'"{digest}"'
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = view(request, *args, **kwargs)
        response["ETag"] = etag
        patch_cache_control(response, private=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        patch_vary_headers(response, ["Cookie", "Accept-Language"])
        return response

    return require_GET(wrapped)


@public_page
def public_index(request):
    lsgs = publication.public_lsgs()
    programmes = ProgrammeCohort.objects.filter(lsgs__in=[lsg.pk for lsg in lsgs]).distinct()
    return render(request, "public/index.html", {"lsgs": lsgs, "programmes": list(programmes)})


@public_page
def public_lsg(request, pk):
    lsg = get_object_or_404(
        LSG.objects.filter(jmus__plans__in=publication.published_plans()).distinct(), pk=pk
    )
    return render(request, "public/lsg.html", publication.public_lsg_page(lsg))


@public_page
def public_report(request, pk):
    report = get_object_or_404(publication.published_reports(), pk=pk)
    return render(request, "public/report.html", publication.public_report_page(report))


def _published(kind: str, pk: int):
    subjects = {"plan": publication.published_plans, "report": publication.published_reports}
    if kind not in subjects:
        raise Http404
    return get_object_or_404(subjects[kind]().select_related("jmu__lsg"), pk=pk)


@public_page
def public_pdf(request, kind, pk):
    subject = _published(kind, pk)
    document = publication.public_pdf(kind, subject)
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        filename=document.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )


@public_page
def public_word(request, kind, pk):
    # Made at most once per PUBLIC_CACHE_SECONDS per version and language, however many ask.
    return word_response(kind_named(kind), _published(kind, pk), keep_seconds=settings.PUBLIC_CACHE_SECONDS)


@public_page
def public_decision(request, pk):
    plan = _published("plan", pk)
    if not plan.adoption_file:
        raise Http404
    return FileResponse(
        plan.adoption_file.open("rb"), filename=f"odluka-{plan.pk}.pdf", content_type="application/pdf"
    )
