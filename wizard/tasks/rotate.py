"""Keep a new secret (one generated again in Halo) for a saved connection: one rule for the
window and the command line.

The new secret replaces the kept one as soon as Halo accepts it (issues a token for it),
whatever else the test found: a scope or an agent's permission is no reason to keep a secret
Halo has already stopped accepting. It replaces it in the entry the connection names, so
the connection file stays as it is. A secret Halo refused never replaces anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from wizard.core.connection_file import ConnectionFile
from wizard.core.model import CheckReport
from wizard.core.secrets import KeychainError
from wizard.core.store import SecretStore
from wizard.tasks.credential import keychain_account
from wizard.tasks.save import token_issued


class Rotation(StrEnum):
    REPLACED = "replaced"  # the new secret is in the connection's keychain entry
    NOT_ACCEPTED = "not_accepted"  # Halo refused it: the old one is still kept
    NOT_IN_KEYCHAIN = "not_in_keychain"  # the connection keeps no keychain entry
    FAILED = "failed"  # accepted, but the keychain refused (detail says why)


@dataclass(frozen=True)
class RotationOutcome:
    result: Rotation
    account: str | None = None
    detail: str | None = None


def accepted(report: CheckReport) -> bool:
    """Whether a new secret may replace the kept one: Halo issued a token for it."""
    return token_issued(report)


def rotate(
    connection: ConnectionFile | None, report: CheckReport, secret: str, store: SecretStore
) -> RotationOutcome:
    if connection is None or connection.secret.store != "keychain":
        return RotationOutcome(Rotation.NOT_IN_KEYCHAIN)
    account = keychain_account(connection)
    if not accepted(report):
        return RotationOutcome(Rotation.NOT_ACCEPTED, account)
    try:
        store.put(account, secret)
    except KeychainError as exc:
        return RotationOutcome(Rotation.FAILED, account, str(exc))
    return RotationOutcome(Rotation.REPLACED, account)
