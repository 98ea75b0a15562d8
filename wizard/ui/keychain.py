"""The keychain as the pages see it: where a secret would go, and saving it off the GUI thread.

Vorta's lesson: say where the secret will be kept before it is saved, ask the keychain
once rather than on every keystroke, and never fall back to a plain file in silence.
"""

from __future__ import annotations

import hashlib
from typing import Any

from PySide6.QtCore import QObject, Signal

from wizard.ui import text
from wizard.ui.context import Services
from wizard.ui.tasks import BlockingTimeout, TaskSlot, run_blocking


class Keychain(QObject):
    """Whether this computer has a usable keychain, and what has been saved in it this session.

    Signals:
        changed: what is known about the keychain changed (checked, timed out).
    """

    changed = Signal()

    def __init__(self, services: Services, *, in_memory: bool = False) -> None:
        super().__init__()
        self._services = services
        self._in_memory = in_memory
        self._slot = TaskSlot()
        self._checked = False
        self._available = False
        self._name: str | None = None
        self._reason: str | None = None
        self._timed_out = False
        # (host, client_id) of each entry saved or read this session, with the fingerprint of
        # the secret it holds: one entry per connection, as in the keychain itself.
        self._stored: dict[tuple[str, str], str] = {}
        # The same for the private keys of JWT-assertion connections.
        self._keys: dict[tuple[str, str], str] = {}
        self._entries: list[tuple[str, str]] = []

    # ----- what is known -----

    @property
    def in_memory(self) -> bool:
        """True in the demo: secrets stay in this process, never in the computer's keychain."""
        return self._in_memory

    @property
    def checked(self) -> bool:
        return self._checked

    @property
    def checking(self) -> bool:
        return self._slot.busy

    @property
    def available(self) -> bool:
        return self._available

    @property
    def name(self) -> str | None:
        """The keychain's name for admins ("the macOS Keychain"), when one was found."""
        return self._name

    @property
    def reason(self) -> str | None:
        """Why no keychain can be used, in plain English."""
        return self._reason

    @property
    def timed_out(self) -> bool:
        return self._timed_out

    @property
    def timeout(self) -> float:
        return self._services.keychain_timeout

    # ----- asking -----

    def ensure_checked(self) -> None:
        """Find out which keychain there is, once, in the background."""
        if not self._checked and not self._slot.busy:
            self._slot.start(self.check())

    async def check(self) -> None:
        try:
            info = await run_blocking(
                self._services.keychain_info, timeout=self._services.keychain_timeout
            )
        except BlockingTimeout:
            self._available, self._timed_out = False, True
        except Exception as exc:  # keychain_info reports problems itself; this is a last resort
            self._available, self._reason = False, str(exc)
        else:
            self._available = bool(info.available)
            name = text.KEYCHAIN_NAMES.get(info.name, info.name)
            self._name = name if info.available else None
            self._reason = info.reason
        self._checked = True
        self.changed.emit()

    def is_stored(self, host: str, client_id: str, secret: str) -> bool:
        return self._stored.get((host, client_id)) == _fingerprint(host, client_id, secret)

    async def store(self, host: str, client_id: str, secret: str) -> None:
        """Save the secret; raises BlockingTimeout or the keychain's own error (KeychainError)."""
        if self.is_stored(host, client_id, secret):
            return
        await run_blocking(
            self._services.store_secret,
            host,
            client_id,
            secret,
            timeout=self._services.keychain_timeout,
        )
        self._stored[(host, client_id)] = _fingerprint(host, client_id, secret)
        if (host, client_id) not in self._entries:
            self._entries.append((host, client_id))

    async def load(self, host: str, client_id: str) -> str | None:
        """The secret kept for this connection, or None; raises BlockingTimeout or the
        keychain's own error (KeychainError)."""
        secret = await run_blocking(
            self._services.load_secret, host, client_id, timeout=self._services.keychain_timeout
        )
        if secret:
            self._stored[(host, client_id)] = _fingerprint(host, client_id, secret)
        return secret or None

    def is_key_stored(self, host: str, client_id: str, pem: str) -> bool:
        return self._keys.get((host, client_id)) == _fingerprint(host, client_id, pem)

    async def store_private_key(self, host: str, client_id: str, pem: str) -> None:
        """Save a JWT-assertion connection's private key (PEM) beside where its secret would
        be; raises BlockingTimeout or the keychain's own error (KeychainError)."""
        if self.is_key_stored(host, client_id, pem):
            return
        await run_blocking(
            self._services.store_private_key,
            host,
            client_id,
            pem,
            timeout=self._services.keychain_timeout,
        )
        self._keys[(host, client_id)] = _fingerprint(host, client_id, pem)

    async def load_private_key(self, host: str, client_id: str) -> str | None:
        """The private key (PEM) kept for this JWT-assertion connection, or None; raises
        BlockingTimeout or the keychain's own error (KeychainError)."""
        pem = await run_blocking(
            self._services.load_private_key,
            host,
            client_id,
            timeout=self._services.keychain_timeout,
        )
        if pem:
            self._keys[(host, client_id)] = _fingerprint(host, client_id, pem)
        return pem or None

    def forget(self, host: str, client_id: str) -> bool:
        """Remove the entry (a blocking call: run it off the GUI thread); True if one was there.

        Raises the keychain's own error (KeychainError) when it cannot be removed.
        """
        return self._services.delete_secret(host, client_id)

    def forgotten(self, host: str, client_id: str) -> None:
        """The entry was removed: it no longer holds what was saved or read this session."""
        self._stored.pop((host, client_id), None)

    @property
    def entries(self) -> list[tuple[str, str]]:
        """(host, client_id) of every secret saved in this session."""
        return list(self._entries)


class MemoryKeychain:
    """The demo's keychain: secrets held in this process only, gone when it ends.

    The demo's secrets belong to a simulated Halo; they have no business in the computer's
    real keychain, not even for as long as the demo runs.
    """

    def __init__(self) -> None:
        self._secrets: dict[tuple[str, str], str] = {}
        self._keys: dict[tuple[str, str], str] = {}

    def info(self) -> Any:
        from wizard.core.secrets import KeychainInfo

        return KeychainInfo(True, text.DEMO_KEYCHAIN_NAME)

    def store(self, host: str, client_id: str, secret: str) -> None:
        self._secrets[(host, client_id)] = secret

    def load(self, host: str, client_id: str) -> str | None:
        return self._secrets.get((host, client_id))

    def delete(self, host: str, client_id: str) -> bool:
        return self._secrets.pop((host, client_id), None) is not None

    def store_private_key(self, host: str, client_id: str, pem: str) -> None:
        self._keys[(host, client_id)] = pem

    def private_key(self, host: str, client_id: str) -> str | None:
        """The private key kept for this connection (what a tool would read back)."""
        return self._keys.get((host, client_id))


def _fingerprint(host: str, client_id: str, secret: str) -> str:
    # Remember what was saved without keeping a second copy of the secret around.
    return hashlib.sha256(f"{host}\0{client_id}\0{secret}".encode()).hexdigest()
