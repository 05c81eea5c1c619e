"""What the bundled demo outlets share: loopback hosts on one port and no politeness delay."""

from __future__ import annotations

import os

DEMO_PORT = int(os.environ.get("AKHBAR_DEMO_PORT", "8780"))
# The demo outlets are our own loopback servers, so crawling them fast is fine.
DEMO_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 16}


def demo_url(host_number: int) -> str:
    """Home URL of the demo outlet served on 127.0.0.<host_number>."""
    return f"http://127.0.0.{host_number}:{DEMO_PORT}/"
