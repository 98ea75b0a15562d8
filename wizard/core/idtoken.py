"""Read the claims of an id_token for display. Never used to decide trust; the access token is
never parsed (it may be opaque)."""

from __future__ import annotations

import base64
import json
from typing import Any


def claims(id_token: object) -> dict[str, Any]:
    """The JSON claims of a JWT's payload, or {} when it is not a readable JWT."""
    if not isinstance(id_token, str) or id_token.count(".") != 2:
        return {}
    payload = id_token.split(".")[1]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        decoded = json.loads(raw)
    # RecursionError: claims nested deeper than the recursion limit; no real token's are.
    except (ValueError, UnicodeDecodeError, RecursionError):
        return {}
    return decoded if isinstance(decoded, dict) else {}
