"""Where a `next=` parameter may send someone after sign-in: only to a path on this site.

`urlparse` alone is fooled by '////evil.example', '/\\evil.example' and 'https:evil.example'; this
accepts a single leading slash followed by anything but another slash or backslash, after browsers'
own normalisation of backslashes.
"""

from __future__ import annotations

import re

_SAFE_PATH = re.compile(r"^/(?![/\\])[^\s\x00-\x1f\\]*$")


def safe_next_url(candidate: str | None) -> str | None:
    if not candidate or len(candidate) > 2000:
        return None
    return candidate if _SAFE_PATH.match(candidate) else None
