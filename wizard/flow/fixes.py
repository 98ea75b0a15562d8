"""Where in the wizard a finding's fix is typed: the page and the field, for a "go there" button."""

from __future__ import annotations

from dataclasses import dataclass

from wizard.flow.steps import StepKey


@dataclass(frozen=True)
class FixPlace:
    """The page (step) and the name of the field on it where the corrected value goes."""

    step: StepKey
    field: str


_SECRET = FixPlace(StepKey.CREDENTIALS, "secret")
_CLIENT_ID = FixPlace(StepKey.CREDENTIALS, "client_id")
_ADDRESS = FixPlace(StepKey.HOSTNAME, "address")

# Only findings whose fix ends with a value typed into the wizard; the rest are fixed in Halo
# or on the network, and a button here would send the admin the wrong way.
FIX_PLACES: dict[str, FixPlace] = {
    "INVALID_CLIENT": _SECRET,
    "SECRET_LOOKS_LIKE_CLIENT_ID": _SECRET,
    "SECRET_MISSING": _SECRET,
    "CLIENT_ID_FORMAT": _CLIENT_ID,
    "HOST_INVALID": _ADDRESS,
    "DNS_FAILED": _ADDRESS,
    "CONNECT_FAILED": _ADDRESS,
    "NOT_HALO": _ADDRESS,
    "TENANT_MISMATCH": FixPlace(StepKey.TENANT, "override"),
}


def fix_place(code: str) -> FixPlace | None:
    """Where the corrected value for finding `code` is typed, when it is typed in the wizard."""
    return FIX_PLACES.get(code)
