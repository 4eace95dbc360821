"""Notification fixtures: a 企业微信 robot on 127.0.0.1 routed every alert, and a sink on the test's store."""
import random

import pytest

from hub.notify.sink import OutboxSink
from hub.notify.worker import RetryPolicy, deliver_due
from tests.hub.notify.robots import receiving

POLICY = RetryPolicy(base_s=10, cap_s=300, give_up_s=6 * 3600, lease_s=60)


@pytest.fixture
def robot():
    """A fake 企业微信 robot: (recorder, base URL)."""
    with receiving() as served:
        yield served


@pytest.fixture
def sink(store):
    return OutboxSink(store)


def add_wecom(store, name, base, **route):
    """Add a 企业微信 receiver *name* at *base* and a route to it (every alert unless *route* narrows it)."""
    store.notify.add_receiver(name, "wecom", {"url": f"{base}/cgi-bin/webhook/send?key={name}"}, "zh", "office")
    return store.notify.add_route({"receiver": name, "repeat_s": 4 * 3600, **route}, "office")


def deliver(store, rng=None):
    """Deliver what is due now with the tests' policy (jitter drawn from *rng*); how many were sent."""
    return deliver_due(store, policy=POLICY, rng=rng or random.Random(7))
