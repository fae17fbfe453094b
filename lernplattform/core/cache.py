"""The Redis cache backend of production (`CACHE_URL=redis://…`), with one client per pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` object for every cache call; each
one fills a table of about 800 response callbacks before it sends anything. A lesson page makes a
dozen cache calls, and building those clients cost about a tenth of its CPU time (profiled in
docs/performance.md). A `redis.Redis` client holds no connection of its own and is safe to share
between threads (its connection pool hands out connections), so one client per pool is enough.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedRedisCacheClient(RedisCacheClient):
    """`RedisCacheClient` that keeps one `redis.Redis` client per connection pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._clients_lock = threading.Lock()

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # Django's, untyped in the stubs
        client = self._clients.get(id(pool))
        if client is None:
            with self._clients_lock:
                client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))  # type: ignore[attr-defined]
        return client


class SharedClientRedisCache(RedisCache):
    """Django's Redis cache backend with `SharedRedisCacheClient`; settings and behaviour as Django's."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedRedisCacheClient
