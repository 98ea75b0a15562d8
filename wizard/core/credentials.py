"""Clean up pasted Client IDs and secrets, and spot values pasted into the wrong field."""

from __future__ import annotations

import re

from wizard.core.cleaning import Cleaned, clean, describe

_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
GUID = re.compile(rf"^{_GUID}$")
# A Halo client secret as seen in Halo's own examples: two GUIDs joined by "-".
SECRET_SHAPE = re.compile(rf"^{_GUID}-{_GUID}$")


def clean_secret(text: str) -> Cleaned:
    """The secret without spaces, line breaks, quotes or invisible characters anywhere, which a
    Halo secret never has. What was removed is said by kind and place, never by value."""
    return clean(text, spaces_inside="remove", name_places=False, quiet_ends=False)


def clean_client_id(text: str) -> Cleaned:
    """The Client ID without what a GUID never holds. Places are not named by the characters
    around them: the "Client ID" is sometimes the secret pasted into the wrong field."""
    return clean(text, spaces_inside="remove", name_places=False)


def looks_like_guid(text: str) -> bool:
    return bool(GUID.match(text))


def looks_like_secret(text: str) -> bool:
    return bool(SECRET_SHAPE.match(text))


def describe_removed(removed: tuple[str, ...]) -> str:
    return describe(removed)
