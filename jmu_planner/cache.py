"""The cache backend of a deployment with Redis: Django's own RedisCache, except that a Redis
that is down or hung reads as an empty cache and takes writes into the void, never an error page.

Every user of the cache is an optimisation — the API's throttle counts, the fragments of frozen
versions (jmu_planner/fragment_cache.py) — so losing it must cost speed, not pages: a read that fails
is a miss, a write that fails is dropped, both logged. After a failure the process leaves Redis
alone for PAUSE_AFTER_ERROR seconds, so a hung Redis costs one request its socket timeout
(settings.CACHES), not every request. `clear()` is left as Django has it: it is never part of a
page.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

PAUSE_AFTER_ERROR = 30.0
_paused_until = 0.0  # per process: cache objects are per thread (django.core.cache.caches)


def _pause(operation: str, error: Exception) -> None:
    global _paused_until  # one flag per process is the point
    _paused_until = time.monotonic() + PAUSE_AFTER_ERROR
    log.warning("Cache %s failed (%s); the cache is skipped for %ss.", operation, error, PAUSE_AFTER_ERROR)


def _tolerant(fallback: Callable[..., Any]):
    """Run the method unless Redis failed lately; on failure, answer `fallback(*args, **kwargs)`."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < _paused_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                _pause(method.__name__, error)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, version=None):
    return default


class RedisCache(django_redis.RedisCache):
    get = _tolerant(_default)(django_redis.RedisCache.get)
    get_many = _tolerant(lambda *a, **k: {})(django_redis.RedisCache.get_many)
    has_key = _tolerant(lambda *a, **k: False)(django_redis.RedisCache.has_key)
    set = _tolerant(lambda *a, **k: None)(django_redis.RedisCache.set)
    add = _tolerant(lambda *a, **k: False)(django_redis.RedisCache.add)
    touch = _tolerant(lambda *a, **k: False)(django_redis.RedisCache.touch)
    delete = _tolerant(lambda *a, **k: False)(django_redis.RedisCache.delete)
    set_many = _tolerant(lambda data, *a, **k: list(data))(django_redis.RedisCache.set_many)
    delete_many = _tolerant(lambda *a, **k: None)(django_redis.RedisCache.delete_many)


def read(key: str) -> Any:
    """`cache.get(key)`, or None when the cache fails, whatever the backend (the deployed one above
    already answers a Redis failure as a miss): what the project caches can always be computed."""
    from django.core.cache import cache

    try:
        return cache.get(key)
    except Exception:
        log.warning("Cache read of %s failed; computing it.", key, exc_info=True)
        return None


def write(key: str, value: Any, timeout: int) -> None:
    """`cache.set(...)`; a failing cache drops the write (see `read`)."""
    from django.core.cache import cache

    try:
        cache.set(key, value, timeout)
    except Exception:
        log.warning("Cache write of %s failed.", key, exc_info=True)
