"""The plan page of a frozen version serves its measure tables and totals from the cache
(jmu_planner/fragment_cache.py, {% frozen %} in plans/plan_detail.html); drafts never do, and a failing
cache only means rendering."""

from __future__ import annotations

import re
import runpy
import socket
import time
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation

from jmu_planner import fragment_cache
from plans.models import Measure, OperationalPlan
from plans.tests.factories import BudgetLineFactory, IndicatorFactory, MeasureFactory, source
from plans.tests.helpers import adopt, through_approval
from stakeholders.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')


@pytest.fixture
def complete(plan):
    """A plan of two complete measures (it can be submitted and adopted)."""
    institution = InstitutionFactory(lsg=plan.jmu.lsg, name="Centar za socijalni rad")
    for title in ("Upis dece u vrtić", "Zdravstvene medijatorke"):
        measure = MeasureFactory(plan=plan, responsible=institution, title=title)
        IndicatorFactory(measure=measure)
        BudgetLineFactory(measure=measure, source=source("sctm"), amount=Decimal("5100.00"))
        BudgetLineFactory(measure=measure, source=source("lsg-budget"), amount=Decimal("4900.00"))
    return plan


@pytest.fixture
def adopted(complete, users):
    through_approval(complete, users)
    adopt(complete, users)
    complete.refresh_from_db()
    assert complete.is_frozen
    return complete


def page(client, user, plan, language: str = "en") -> str:
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(reverse("plans:plan-detail", args=[plan.pk]))
    assert response.status_code == 200
    # The CSRF token is masked afresh on each request; everything else must be identical.
    return CSRF.sub("csrf", response.content.decode())


def frozen_keys() -> list[str]:
    """Our keys in the test's local-memory cache (which stores them as ":<version>:<key>")."""
    return [key.split(":", 2)[2] for key in caches["default"]._cache if f":{fragment_cache.PREFIX}:" in key]


def key_of(plan, language: str) -> str:
    with translation.override(language):
        return fragment_cache.cache_key(plan, "plan-body", False)


def rename_first_measure_behind_the_apps_back(plan, title: str) -> None:
    """No service may change a frozen version; a direct UPDATE shows which page is from the cache."""
    Measure.objects.filter(pk=plan.measures.order_by("pk").first().pk).update(title=title)


@pytest.mark.parametrize("language", ["en", "sr-latn", "sr"])
def test_a_frozen_plan_page_from_the_cache_is_the_page_rendered_afresh(client, adopted, users, language):
    reader = users["officer"]
    rendered = page(client, reader, adopted, language)  # a miss: rendered and stored
    assert frozen_keys() == [key_of(adopted, language)]
    cached = page(client, reader, adopted, language)  # a hit
    assert cached == rendered
    title = "Упис деце у вртић" if language == "sr" else "Upis dece u vrtić"  # in the reader's script
    assert title in cached and ("Total budget" in cached) == (language == "en")
    # It really came from the cache: a change the page could not know about does not show in
    # the measure table (the live comment form lists the measures too)...
    rename_first_measure_behind_the_apps_back(adopted, "Preimenovano ručno")
    shown = "Преименовано ручно" if language == "sr" else "Preimenovano ručno"
    row = f'<div class="fw-semibold">{shown}</div>'
    assert row not in page(client, reader, adopted, language)
    # ...until the cache is emptied.
    caches["default"].clear()
    assert row in page(client, reader, adopted, language)


def test_each_language_has_its_own_entry(client, adopted, users):
    reader = users["coordinator"]
    english = page(client, reader, adopted, "en")
    serbian = page(client, reader, adopted, "sr-latn")
    assert sorted(frozen_keys()) == sorted([key_of(adopted, "en"), key_of(adopted, "sr-latn")])
    assert key_of(adopted, "en") != key_of(adopted, "sr-latn")
    assert "Total budget (RSD)" in english and "Total budget (RSD)" not in serbian
    # Amounts follow the language too: 10,000.00 in English, 10.000,00 in Serbian.
    assert "10,000.00" in english and "10.000,00" in serbian
    assert page(client, reader, adopted, "en") == english
    assert page(client, reader, adopted, "sr-latn") == serbian


def test_readers_with_other_rights_share_the_entry_and_keep_their_own_parts(client, adopted, users):
    """The fragment holds nothing of the reader: one entry serves the officer and a JMU member,
    and what differs between them (the comment form, CSRF tokens) stays outside it, live."""
    officer_page = page(client, users["officer"], adopted)
    member_page = page(client, users["member"], adopted)
    [key] = frozen_keys()
    fragment = fragment_cache._get(key)
    assert "Upis dece u vrtić" in fragment and 'id="plan-totals"' in fragment
    assert "csrfmiddlewaretoken" not in fragment and "comment" not in fragment.lower()
    assert fragment in officer_page and fragment in member_page
    assert officer_page != member_page  # the officer may comment; the member may not


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_a_plan_not_yet_adopted_is_never_cached(client, complete, users, status):
    from plans.tests.helpers import move

    if status == "submitted":
        move(complete, OperationalPlan.Status.SUBMITTED, users["coordinator"])
    elif status == "approved":
        through_approval(complete, users)
    complete.refresh_from_db()
    # An approved plan is frozen, but shows live reference rows until adoption keeps them.
    assert complete.status == status and complete.is_frozen == (status == "approved")
    page(client, users["officer"], complete)
    page(client, users["officer"], complete)
    assert frozen_keys() == []
    assert fragment_cache.cache_key(complete, "plan-body", False) is None


def test_a_plan_adopted_after_its_draft_was_shown_shows_what_was_adopted(client, complete, users):
    reader = users["coordinator"]
    assert "Upis dece u vrtić" in page(client, reader, complete)  # the draft, shown (not cached)
    rename_first_measure_behind_the_apps_back(complete, "Upis dece u predškolsko")
    through_approval(complete, users)
    adopt(complete, users)
    complete.refresh_from_db()
    adopted_page = page(client, reader, complete)
    assert "Upis dece u predškolsko" in adopted_page and "Upis dece u vrtić" not in adopted_page
    assert frozen_keys() == [key_of(complete, "en")]


def test_a_superseded_version_gets_an_entry_of_its_own(client, adopted, users):
    """Adopting an amendment supersedes the version: its status and last change are in the key,
    so its page never serves the entry written while it was in force."""
    from plans.lifecycle import plan_amend

    page(client, users["officer"], adopted)
    in_force = key_of(adopted, "en")
    amendment = plan_amend(plan=adopted, actor=users["coordinator"])
    through_approval(amendment, users)
    adopt(amendment, users)
    adopted.refresh_from_db()
    assert adopted.status == OperationalPlan.Status.SUPERSEDED
    assert key_of(adopted, "en") != in_force
    assert "A later version is in force." in page(client, users["officer"], adopted)
    assert key_of(adopted, "en") in frozen_keys()


# --- A failing cache -----------------------------------------------------------------------------


def production_caches(monkeypatch, url: str) -> dict:
    """CACHES as jmu_planner/settings.py builds them for a deployment with this Redis."""
    monkeypatch.setenv("CACHE_URL", url)
    built = runpy.run_path(str(django_settings.BASE_DIR / "jmu_planner" / "settings.py"))["CACHES"]
    assert built["default"]["BACKEND"] == "jmu_planner.cache.RedisCache"  # Django's, tolerant
    return built


@pytest.fixture
def fresh_breaker(monkeypatch):
    """The process's memory of a recent Redis failure starts empty, and ends so."""
    from jmu_planner import cache

    monkeypatch.setattr(cache, "_paused_until", 0.0)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: connections are refused


def test_without_redis_url_the_cache_is_local_memory(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "")
    monkeypatch.setenv("REDIS_URL", "")
    built = runpy.run_path(str(django_settings.BASE_DIR / "jmu_planner" / "settings.py"))["CACHES"]
    assert built["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_dead_redis_means_rendering_not_an_error(
    client, adopted, users, settings, monkeypatch, fresh_breaker, caplog
):
    settings.CACHES = production_caches(monkeypatch, f"redis://127.0.0.1:{closed_port()}/0")
    first = page(client, users["officer"], adopted)
    assert "Upis dece u vrtić" in first and "Total budget (RSD)" in first
    assert "Cache get failed" in caplog.text and "Connection refused" in caplog.text
    # The next requests leave the cache alone for a while instead of failing again.
    assert page(client, users["officer"], adopted) == first
    assert caplog.text.count("Cache ") == 1


def test_a_dead_redis_does_not_break_the_api_throttle(client, users, settings, monkeypatch, fresh_breaker):
    """The throttle counts in the cache too: without Redis it counts nothing, and answers."""
    settings.CACHES = production_caches(monkeypatch, f"redis://127.0.0.1:{closed_port()}/0")
    client.force_login(users["coordinator"])
    assert client.get(reverse("api:lsg-list")).status_code == 200


def test_any_failing_cache_means_rendering(monkeypatch, adopted):
    """Whatever the backend (not only the deployed, tolerant one)."""

    class Broken:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        set = get

    import django.core.cache

    monkeypatch.setattr(django.core.cache, "cache", Broken())  # what jmu_planner.cache reads through
    assert fragment_cache.fragment(adopted, "part", lambda: "rendered") == "rendered"


def test_a_hung_redis_holds_a_page_for_the_socket_timeout_only(
    client, adopted, users, settings, monkeypatch, fresh_breaker
):
    """A Redis that accepts connections and never answers (the kernel completes the handshake
    of a listening socket nobody accepts from)."""
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)
        settings.CACHES = production_caches(monkeypatch, f"redis://127.0.0.1:{hung.getsockname()[1]}/0")
        start = time.monotonic()
        assert "Upis dece u vrtić" in page(client, users["officer"], adopted)
        # socket_timeout 0.25 s for the read, then the cache is skipped; the rest is the page.
        assert time.monotonic() - start < 3
        start = time.monotonic()
        page(client, users["officer"], adopted)
        assert time.monotonic() - start < 1


def test_through_a_real_redis_the_entry_is_shared_and_served(client, adopted, users, settings, monkeypatch):
    """The deployed set-up, end to end: the entry written by one request serves the next, through
    RedisCache (bytes in, bytes out). A key prefix of the test's own: xdist workers share one
    Redis database."""
    import uuid

    # The suite runs against a real Redis (make test, .ci/run): no Redis is a failure, not a skip.
    built = production_caches(monkeypatch, settings.REDIS_URL)
    built["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = built
    redis = caches["default"]
    redis.set("probe", b"1")
    assert redis.get("probe") == b"1", "Redis at REDIS_URL is not reachable"
    key = key_of(adopted, "en")
    try:
        rendered = page(client, users["officer"], adopted)
        assert redis.get(key) is not None
        assert page(client, users["officer"], adopted) == rendered
        rename_first_measure_behind_the_apps_back(adopted, "Renamed by hand")
        assert '<div class="fw-semibold">Renamed by hand</div>' not in page(client, users["officer"], adopted)
    finally:
        redis.delete_many([key, "probe"])
