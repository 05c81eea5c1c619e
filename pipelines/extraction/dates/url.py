"""The day an article URL states, for extraction (a publication date source) and discovery (pruning a backfill).

The rule, without a site pattern: a path segment that starts with year, month and day joined by one separator, «/» or
«-», and ends there (end of path, «/», «.», «_», or «-» in the «-» form): /2024/09/15/slug, /news/2024/09/15.html,
/2024-09-15-slug, /2024-09-15_slug. Years 1900-2099, months 1-12, days 1-31, one or two digits each, and a real
calendar day.
Not dates:
- mixed separators, /2024/9-15/: a year folder followed by a slug or id that starts with two numbers (a score «3-1»);
- /2023/10/3-fragen-an-x: a year and month folder followed by a slug that starts with a number;
- compact 20240915 and numbers glued to the day (/2024/09/1501): numeric ids look like them;
- a date inside a slug, /slug-2024-09-15: a slug is free text, and a wrong date would prune a real article;
- the host, query and fragment.
A site whose URLs put the date elsewhere (arabic.cnn.com: /2026/middle_east/10/3/x) has its own regex,
SiteRules.url_date_pattern, which replaces the rule.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

_URL_DAY = re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<sep>[/-])(?P<m>0?[1-9]|1[0-2])(?P=sep)(?P<d>0?[1-9]|[12]\d|3[01])"
                      r"(?=[/._-]|$)")


def url_date(url: str, pattern: str | None = None) -> date | None:
    """The day a URL states, or None; pattern: a site's own regex with groups y, m, d, searched in the whole URL."""
    if pattern:
        match = re.search(pattern, url)
    else:
        try:
            path = urlsplit(url).path
        except ValueError:  # a malformed host such as «http://[x/»
            return None
        match = next((m for m in _URL_DAY.finditer(path)
                      if m["sep"] == "-" or not path.startswith("-", m.end())), None)
    if not match:
        return None
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
