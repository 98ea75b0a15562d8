"""Clean up pasted Client IDs and secrets, and spot values pasted into the wrong field."""

from __future__ import annotations

import re
from dataclasses import dataclass

_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
GUID = re.compile(rf"^{_GUID}$")
# A Halo client secret as seen in Halo's own examples: two GUIDs joined by "-".
SECRET_SHAPE = re.compile(rf"^{_GUID}-{_GUID}$")
_QUOTES = "\"'`\u2018\u2019\u201c\u201d"


@dataclass(frozen=True)
class Cleaned:
    value: str
    removed: tuple[str, ...]  # plain-English names of what was taken out


def clean_secret(text: str) -> Cleaned:
    """Remove spaces, tabs, line breaks and surrounding quotes, which a Halo secret never has."""
    removed: list[str] = []
    value = text
    if any(c in "\r\n" for c in value):
        removed.append("line breaks")
    if any(c in " \t\u00a0" for c in value):
        removed.append("spaces")
    value = "".join(c for c in value if not c.isspace())
    stripped = value.strip(_QUOTES)
    if stripped != value:
        removed.append("quotes")
    return Cleaned(stripped, tuple(removed))


def clean_client_id(text: str) -> str:
    return text.strip().strip(_QUOTES).strip()


def looks_like_guid(text: str) -> bool:
    return bool(GUID.match(text))


def looks_like_secret(text: str) -> bool:
    return bool(SECRET_SHAPE.match(text))


def describe_removed(removed: tuple[str, ...]) -> str:
    if len(removed) == 1:
        return removed[0]
    return ", ".join(removed[:-1]) + " and " + removed[-1]
