"""Where secrets and private keys are kept: a small interface, the computer's keychain behind
it, and a store in memory for the demo (which must never touch the keychain).

The front ends and the tasks (wizard/tasks) ask a SecretStore; they never call keyring
themselves. Entries are named by their keychain account, which the connection file records
(`connection_file.SecretEntry.account`, `AssertionEntry.account`).

Every call here blocks and can hang (a locked Secret Service waits for a password prompt):
the window runs them off the GUI thread with a time limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    # Loaded when first used: the keychain library is slow to import, and the window (the
    # demo's too) must paint its first page fast.
    from wizard.core.secrets import KeychainInfo


class SecretStore(Protocol):
    """A place for secrets, by keychain account. Each method raises KeychainError with a
    plain-English message when the place cannot be used."""

    def info(self) -> KeychainInfo: ...

    def put(self, account: str, value: str) -> None: ...

    def get(self, account: str) -> str | None: ...

    def remove(self, account: str) -> bool: ...


class KeychainStore:
    """The operating system's keychain (Credential Manager, Keychain, Secret Service)."""

    def info(self) -> KeychainInfo:
        from wizard.core import secrets

        return secrets.keychain_info()

    def put(self, account: str, value: str) -> None:
        from wizard.core import secrets

        secrets.store_at(account, value)

    def get(self, account: str) -> str | None:
        from wizard.core import secrets

        return secrets.load_at(account)

    def remove(self, account: str) -> bool:
        from wizard.core import secrets

        return secrets.delete_at(account)


@dataclass
class MemoryStore:
    """Secrets in this process's memory only: the demo's keychain, and the tests'."""

    name: str = "the demo's keychain (in memory only)"
    entries: dict[str, str] = field(default_factory=dict, repr=False)
    # Set to make every call fail as an unusable keychain would.
    broken: str | None = None

    def info(self) -> KeychainInfo:
        from wizard.core.secrets import KeychainInfo

        if self.broken:
            return KeychainInfo(False, self.name, self.broken)
        return KeychainInfo(True, self.name)

    def _check(self) -> None:
        if self.broken:
            from wizard.core.secrets import KeychainError

            raise KeychainError(self.broken)

    def put(self, account: str, value: str) -> None:
        self._check()
        if not value:
            raise ValueError("There is no secret to store.")
        from wizard.core.log import register_secret  # the log loads when first needed

        register_secret(value)
        self.entries[account] = value

    def get(self, account: str) -> str | None:
        self._check()
        return self.entries.get(account)

    def remove(self, account: str) -> bool:
        self._check()
        return self.entries.pop(account, None) is not None


__all__ = ["KeychainStore", "MemoryStore", "SecretStore"]
