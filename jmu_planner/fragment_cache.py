"""Fragments of frozen versions, rendered once and served from the cache.

An adopted (or superseded) plan and an accepted report never change (`obj.is_frozen`, from their
lifecycles), so the expensive parts of their pages — the plan's measure tables and totals, a
report's figures — can be served from what was rendered before. Everything that depends on the
reader stays live around the fragment: buttons, comments, messages, CSRF tokens.

Use it from a template, around the part that is the same for every reader of the version:

    {% load fragment_cache %}
    {% frozen plan "plan-body" can_edit %} ... {% endfrozen %}

or from Python: `fragment_cache.fragment(obj, "part", render, *vary)`. The key is the object (model, pk,
status, last change), the part, the active language, whatever else the caller says changes the
output (`vary`), and a fingerprint of the code, templates and catalogues: a deploy that changes
any of them starts new entries. An object that is not frozen is never cached. When the cache
fails (Redis down or hung) the fragment is rendered as if nothing were cached (the deployed
backend, jmu_planner.cache.RedisCache, already answers a failure as a miss and then leaves Redis
alone for a while; the guard here covers any other backend).
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from jmu_planner.cache import read as cache_read
from jmu_planner.cache import write as cache_write

TIMEOUT = 7 * 24 * 60 * 60  # a week: what nobody reads makes way; a deploy starts new keys anyway
PREFIX = "frozen"
# Compressed: a 150-measure plan's tables are ~255 KB of HTML, 8 KB deflated at level 1 in
# bench/plan_page.py (real, less repetitive text deflates less); inflating costs ~1 ms a hit.
COMPRESS_LEVEL = 1


@functools.cache
def code_fingerprint() -> str:
    """What the fragments are rendered from, besides the object: the project's Python code,
    templates and compiled catalogues. Read once per process (~ms); the same on every worker."""
    digest = hashlib.sha1(usedforsecurity=False)
    root = settings.BASE_DIR
    packages = [path.parent for path in root.glob("*/__init__.py")]
    files = [file for package in packages for file in package.rglob("*.py")]
    files += [*(root / "templates").rglob("*.html")]
    files += [file for folder in settings.LOCALE_PATHS for file in folder.rglob("*.mo")]
    for path in sorted(files):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def may_cache(obj: Any) -> bool:
    """Whether `obj`'s pages can no longer change: frozen by its lifecycle and, for a version
    that keeps its reference values on itself (plans.snapshot, taken at adoption), kept. An
    approved plan awaiting adoption is frozen, but still shows the live names of institutions,
    areas and funding sources and other plans' SCTM figures: it is rendered every time."""
    if obj is None or not getattr(obj, "is_frozen", False):
        return False
    return not hasattr(obj, "reference_snapshot") or bool(obj.reference_snapshot)


def cache_key(obj: Any, part: str, *vary: Any) -> str | None:
    """The key of `part` of `obj` in the active language, or None when `obj` may still change."""
    if not may_cache(obj):
        return None
    changed = getattr(obj, "updated_at", None)
    stamp = f"{changed.timestamp():.6f}" if changed is not None else "-"
    # Version numbers are already one per pk; status and last change make an amendment's
    # supersession (or any save) a new entry, never a stale one.
    fields = [PREFIX, code_fingerprint(), obj._meta.label_lower, str(obj.pk), str(obj.status), stamp]
    fields += [get_language() or "", part, *(str(v) for v in vary)]
    key = ":".join(fields)
    # Memcached-safe length and no spaces whatever `vary` holds.
    return f"{PREFIX}:{hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()}"


def fragment(obj: Any, part: str, render: Callable[[], str], *vary: Any) -> str:
    """`render()`'s output, from the cache when `obj` is frozen and it was rendered before."""
    key = cache_key(obj, part, *vary)
    if key is None:
        return render()
    cached = _get(key)
    if cached is not None:
        return cached
    html = render()
    _set(key, html)
    return html


def _get(key: str) -> str | None:
    packed = cache_read(key)
    return None if packed is None else mark_safe(zlib.decompress(packed).decode())  # noqa: S308 - our own output


def _set(key: str, html: str) -> None:
    cache_write(key, zlib.compress(html.encode(), COMPRESS_LEVEL), TIMEOUT)
