"""One layout module per outlet; BOILERPLATE_PHRASES lists each outlet's fixed non-article strings."""

from __future__ import annotations

from .common import PER_PAGE, Layout
from .nabaa import NabaaLayout, NabaaUndatedLayout
from .sham import ShamLayout
from .wasat import WasatLayout

LAYOUTS: dict[str, type[Layout]] = {"nabaa": NabaaLayout, "wasat": WasatLayout, "sham": ShamLayout}
# Redesigns that stop showing the publication date on article pages (DemoSite.drop_dates, drift tests).
UNDATED_LAYOUTS: dict[str, type[Layout]] = {"nabaa": NabaaUndatedLayout}

# Strings present on every article page of the outlet (nav, sidebar, footer, share and comment widgets)
# that must never appear in an extracted article body.
BOILERPLATE_PHRASES: dict[str, list[str]] = {name: list(cls.PHRASES) for name, cls in LAYOUTS.items()}

__all__ = ["BOILERPLATE_PHRASES", "LAYOUTS", "PER_PAGE", "UNDATED_LAYOUTS", "Layout"]
