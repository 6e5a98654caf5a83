"""Rate limits shared by several instances through Redis, and what happens when Redis is down.

Two apps (two instances, each with its own process memory) point at one Redis: the forms' limit
counts across both. When Redis stops, pages are served and forms keep working, limited by each
instance's own memory until Redis is back (the README's "fails open to per-instance limits").
"""

from __future__ import annotations

import pytest

from .conftest import make_app
from .forms_support import submit

CLIENT = "198.51.100.42"


def _client(app):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = CLIENT
    return client


@pytest.fixture()
def two_instances(redis_server):
    settings = {"FORMS_RATE_LIMIT": "3 per minute", "RATELIMIT_STORAGE_URI": redis_server.url}
    return make_app(**settings), make_app(**settings)


def test_a_limit_holds_across_two_instances(two_instances):
    first, second = (_client(app) for app in two_instances)
    assert submit(first, "kontakt").status_code == 303
    assert submit(second, "kontakt").status_code == 303
    assert submit(first, "kontakt").status_code == 303
    # the fourth send within the minute, at the *other* instance: over the shared limit
    assert submit(second, "kontakt").status_code == 429
    assert submit(first, "kontakt").status_code == 429


def test_memory_storage_alone_would_not_share_the_limit():
    """The control: without Redis each instance counts alone (why production needs Redis)."""
    settings = {"FORMS_RATE_LIMIT": "3 per minute"}
    first, second = (_client(make_app(**settings)) for _ in range(2))
    for _ in range(3):
        assert submit(first, "kontakt").status_code == 303
    assert submit(second, "kontakt").status_code == 303


def test_redis_down_pages_are_served_and_forms_fall_back_to_per_instance_limits(
    two_instances, redis_server
):
    app, _ = two_instances
    client = _client(app)
    assert submit(client, "kontakt").status_code == 303
    redis_server.stop()
    assert client.get("/").status_code == 200
    assert client.get("/kontakt").status_code == 200
    # forms are still accepted (nothing lost) and still limited, now in this instance's memory
    answers = [submit(client, "kontakt").status_code for _ in range(4)]
    assert answers[:3] == [303, 303, 303]
    assert answers[3] == 429


def test_a_redis_url_enables_the_fallback_and_short_timeouts(redis_server):
    app = make_app(RATELIMIT_STORAGE_URI=redis_server.url)
    assert app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True
    assert app.config["RATELIMIT_SWALLOW_ERRORS"] is True
    assert app.config["RATELIMIT_STORAGE_OPTIONS"]["socket_timeout"] <= 0.5


def test_the_limiter_runs_only_for_the_forms_requests():
    """Page requests do not pay for the forms' limiter (it used to hook into every request)."""
    app = make_app(FORMS_RATE_LIMIT="1 per minute")
    limiter = app.extensions["sozialberichte.limiter"]
    for funcs in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        for hook in funcs.get(None, []):
            owner = getattr(hook, "__self__", None) or (getattr(hook, "args", None) or [None])[0]
            assert owner is not limiter, hook
    client = _client(app)
    assert submit(client, "kontakt").status_code == 303
    assert submit(client, "kontakt").status_code == 429, "the limit still holds on the form"
    assert client.get("/").status_code == 200
