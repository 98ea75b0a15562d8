"""Read the top-level fields of a JSON object even when only its beginning arrived."""

from __future__ import annotations

import json
import re
from typing import Any

_DECODER = json.JSONDecoder()

# A \uXXXX escape of half a UTF-16 surrogate pair with no other half: JSON allows it, but
# the string it gives cannot be encoded, so it could not be sent on (in a token URL) or
# printed. It is read as U+FFFD, the replacement character, instead.
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def mend_surrogates(text: str) -> str:
    """JSON text whose lone-surrogate escapes read as U+FFFD (see _LONE_SURROGATE)."""
    if "\\u" not in text:
        return text
    return _LONE_SURROGATE.sub(r"\\ufffd", text)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def top_level_fields(data: bytes) -> dict[str, Any]:
    """The complete key/value pairs at the top of a JSON object, stopping where it was cut.

    An agent record can be megabytes long (a long list of claims); only its first part is
    read, and the fields before the cut are what the check needs.
    """
    text = mend_surrogates(data.decode("utf-8", "ignore"))
    pos = _skip_space(text, 0)
    if text[pos : pos + 1] == "\ufeff":
        pos = _skip_space(text, pos + 1)
    if text[pos : pos + 1] != "{":
        return {}
    fields: dict[str, Any] = {}
    pos += 1
    while True:
        pos = _skip_space(text, pos)
        if text[pos : pos + 1] != '"':
            return fields
        try:
            key, pos = _DECODER.raw_decode(text, pos)
            pos = _skip_space(text, pos)
            if text[pos : pos + 1] != ":":
                return fields
            pos = _skip_space(text, pos + 1)
            value, pos = _DECODER.raw_decode(text, pos)
        # RecursionError: a value nested deeper than the recursion limit; the fields before
        # it are still good.
        except (ValueError, RecursionError):
            return fields
        pos = _skip_space(text, pos)
        following = text[pos : pos + 1]
        if following not in (",", "}"):
            # Nothing after the value: where it was cut, a number reads as a shorter one
            # ("12" of 123), so only a value something follows is known to be whole.
            return fields
        fields[key] = value
        if following == "}":
            return fields
        pos += 1
