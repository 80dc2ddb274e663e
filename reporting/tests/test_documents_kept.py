"""An adopted version never changes: asking again for its PDF serves the one made before, when the
same code made it in the same language. Drafts, other languages and new code render anew."""

import pytest
from django.urls import reverse

from jmu_planner import fragment_cache
from plans import snapshot
from plans.models import OperationalPlan
from reporting import documents
from reporting.models import Document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]


@pytest.fixture
def kept_plan(adopted_plan):
    snapshot.freeze(adopted_plan)  # as adoption does
    adopted_plan.refresh_from_db()
    assert fragment_cache.may_cache(adopted_plan)
    return adopted_plan


def ask(coordinator, plan, capture):
    with capture(execute=True):
        document = documents.document_request(actor=coordinator, plan=plan)
    document.refresh_from_db()
    return document


def test_an_adopted_version_is_rendered_once_per_language(
    kept_plan, users_for, django_capture_on_commit_callbacks, django_assert_max_num_queries, settings
):
    coordinator = users_for(kept_plan)["coordinator"]
    first = ask(coordinator, kept_plan, django_capture_on_commit_callbacks)
    assert first.status == Document.Status.DONE and first.fingerprint == fragment_cache.code_fingerprint()
    with django_assert_max_num_queries(1):
        again = documents.document_request(actor=coordinator, plan=kept_plan)
    assert again.pk == first.pk and Document.objects.count() == 1
    from django.utils import translation

    with translation.override("sr"):
        cyrillic = ask(coordinator, kept_plan, django_capture_on_commit_callbacks)
    assert cyrillic.pk != first.pk and cyrillic.language == "sr"
    # The file gone from storage: made again, not a broken link.
    first.file.storage.delete(first.file.name)
    assert ask(coordinator, kept_plan, django_capture_on_commit_callbacks).pk not in (first.pk, cyrillic.pk)


def test_new_code_or_a_draft_renders_anew(kept_plan, users_for, django_capture_on_commit_callbacks):
    coordinator = users_for(kept_plan)["coordinator"]
    first = ask(coordinator, kept_plan, django_capture_on_commit_callbacks)
    Document.objects.filter(pk=first.pk).update(fingerprint="olderdeploy0")
    second = ask(coordinator, kept_plan, django_capture_on_commit_callbacks)
    assert second.pk != first.pk and second.status == Document.Status.DONE
    OperationalPlan.objects.filter(pk=kept_plan.pk).update(status=OperationalPlan.Status.DRAFT)
    kept_plan.refresh_from_db()
    assert not fragment_cache.may_cache(kept_plan)
    third = ask(coordinator, kept_plan, django_capture_on_commit_callbacks)
    assert third.pk not in (first.pk, second.pk)


def test_one_click_downloads_the_pdf_made_before(
    kept_plan, users_for, client, django_capture_on_commit_callbacks
):
    coordinator = users_for(kept_plan)["coordinator"]
    first = ask(coordinator, kept_plan, django_capture_on_commit_callbacks)
    client.force_login(coordinator)
    url = reverse("reporting:documents", args=["plan", kept_plan.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:document-download", args=[first.pk])
    assert list(Document.objects.values_list("pk", flat=True)) == [first.pk]
