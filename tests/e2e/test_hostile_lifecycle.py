"""The demo site's lifecycle with the hostile outlet: stopping aborts slow responses; the outlet is optional."""

from __future__ import annotations

import http.client
import threading
import time
from urllib.error import URLError

from tests.demosite import HOSTILE_NAME, DemoSite
from tests.demosite.hostile_client import request

NETWORK_ERRORS = (URLError, OSError, http.client.HTTPException)


def test_stop_aborts_pending_slow_responses() -> None:
    demo = DemoSite(port=None).start()
    url = demo.outlet(HOSTILE_NAME).base_url + "news/9024"
    errors: list[Exception] = []

    def wait_for_slow() -> None:
        try:
            request(url, timeout=30)
        except NETWORK_ERRORS as exc:
            errors.append(exc)

    client = threading.Thread(target=wait_for_slow)
    client.start()
    time.sleep(0.3)
    started = time.monotonic()
    demo.stop()
    client.join(timeout=5)
    assert not client.is_alive() and time.monotonic() - started < 5 and errors


def test_hostile_outlet_can_be_left_out() -> None:
    with DemoSite(port=None, hostile=False) as demo:
        assert HOSTILE_NAME not in {o.name for o in demo.outlets}
        assert b"127.0.0.5" not in request(demo.index_url).body
