"""The production Redis cache backend (lernplattform/core/cache.py) against the real Redis on 127.0.0.1."""

import threading
import uuid

import pytest
import redis

from lernplattform.core.cache import SharedClientRedisCache

REDIS_URL = "redis://127.0.0.1:6379/14"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not _redis_up(), reason="Redis auf 127.0.0.1:6379 nicht erreichbar")


@pytest.fixture
def cache():
    backend = SharedClientRedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield backend
    backend.clear()


def test_it_builds_one_client_for_all_calls(cache, monkeypatch):
    built = []
    original = redis.Redis.__init__

    def counting_init(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)
    cache.set("a", 1)
    for _ in range(20):
        assert cache.get("a") == 1
    cache.get_many(["a", "b"])
    assert len(built) == 1


def test_it_behaves_as_djangos_backend(cache):
    assert cache.get("missing", "default") == "default"
    assert cache.add("k", {"x": [1, 2]}, None)
    assert not cache.add("k", "other")
    assert cache.get("k") == {"x": [1, 2]}
    cache.set_many({"m1": "eins", "m2": "zwei"})
    assert cache.get_many(["m1", "m2", "m3"]) == {"m1": "eins", "m2": "zwei"}
    assert cache.add("counter", 1)
    assert cache.incr("counter") == 2
    cache.delete("k")
    assert cache.get("k") is None


def test_threads_share_the_client_safely(cache):
    errors = []

    def work(n):
        try:
            for i in range(50):
                cache.set(f"t{n}-{i}", i)
                assert cache.get(f"t{n}-{i}") == i
        except Exception as error:  # noqa: BLE001 - collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
