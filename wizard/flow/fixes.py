"""Where in the wizard a finding's fix is typed: the page and the field, for a "go there" button."""

from __future__ import annotations

from dataclasses import dataclass

from wizard.flow.state import WizardState
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
    # Among its checks, the one typed in the wizard: the assertion's audience (and issuer).
    "ASSERTION_REFUSED": FixPlace(StepKey.CREDENTIALS, "audience"),
}


# Diagnosing, only the secret is typed in the wizard (on "Open the connection"); the rest
# comes from the connection that was opened.
_SECRET_CODES = frozenset(
    code for code, place in FIX_PLACES.items() if place.step is StepKey.CREDENTIALS
) - {"CLIENT_ID_FORMAT", "ASSERTION_REFUSED"}
# A connection that signs with a key has no secret to type: when Halo refuses its assertion,
# what the page that opened it can change is the key file it signs with.
_DIAGNOSED_KEY = FixPlace(StepKey.OPEN, "key_file")


def fix_place(code: str, state: WizardState | None = None) -> FixPlace | None:
    """Where the corrected value for finding `code` is typed, when it is typed in the wizard.

    Diagnosing an opened connection (`state`), a secret is typed on the page that opened it:
    in its own field, or, when the connection keeps one, as a new secret; a connection that
    signs with a key is given another key file there.
    """
    if state is not None and state.diagnosing and state.diagnosis is not None:
        if state.diagnosis.signs_with_key:
            return _DIAGNOSED_KEY if code == "ASSERTION_REFUSED" else None
        if code not in _SECRET_CODES:
            return None
        field = "new_secret" if state.diagnosis.secret_kept else "secret"
        return FixPlace(StepKey.OPEN, field)
    return FIX_PLACES.get(code)
