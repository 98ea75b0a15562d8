"""The keychain as the pages see it: where a secret would go, and saving it off the GUI thread.

Vorta's lesson: say where the secret will be kept before it is saved, ask the keychain
once rather than on every keystroke, and never fall back to a plain file in silence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from wizard.ui import text
from wizard.ui.context import Services
from wizard.ui.tasks import BlockingTimeout, TaskSlot, run_blocking

if TYPE_CHECKING:
    from collections.abc import Callable

    from wizard.core.secrets import KeychainInfo
    from wizard.core.store import SecretStore

_T = TypeVar("_T")


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
        # The keychain account of each entry kept or read this session, with the fingerprint
        # of the secret or key it holds.
        self._held: dict[str, str] = {}

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
                self._services.secret_store.info, timeout=self._services.keychain_timeout
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

    def holds(self, account: str, value: str) -> bool:
        """Whether `value` was put under `account` (or read from it) in this session."""
        return self._held.get(account) == _fingerprint(account, value)

    async def put(self, account: str, value: str) -> None:
        """Keep `value` (a secret or a private key) under `account`; raises BlockingTimeout
        or the keychain's own error (KeychainError)."""
        if self.holds(account, value):
            return
        await run_blocking(
            self._services.secret_store.put,
            account,
            value,
            timeout=self._services.keychain_timeout,
        )
        self.remember(account, value)

    async def get(self, account: str) -> str | None:
        """What is kept under `account`, or None; raises BlockingTimeout or the keychain's own
        error (KeychainError)."""
        value = await run_blocking(
            self._services.secret_store.get, account, timeout=self._services.keychain_timeout
        )
        if value:
            self.remember(account, value)
        return value or None

    def remember(self, account: str, value: str) -> None:
        """`value` is now under `account` (put there by a task run off the GUI thread)."""
        self._held[account] = _fingerprint(account, value)

    def forgotten(self, account: str) -> None:
        """The entry was removed: it no longer holds what was kept or read this session."""
        self._held.pop(account, None)

    @property
    def store(self) -> SecretStore:
        """The store for the tasks run off the GUI thread (wizard/tasks): each of its calls
        gives up after the keychain's time limit, saying so as the keychain's own error."""
        return _TimedStore(self._services.secret_store, self.timeout, self._name)


class _TimedStore:
    """A SecretStore whose calls each wait at most `timeout` seconds: a locked Secret Service
    can wait for a password prompt nobody sees. Run from a worker thread, never the GUI's."""

    def __init__(self, store: SecretStore, timeout: float, name: str | None) -> None:
        self._store, self._timeout, self._name = store, timeout, name

    def _call(self, function: Callable[..., _T], *args: str) -> _T:
        import concurrent.futures

        from wizard.core.secrets import KeychainError

        pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="keychain")
        try:
            return pool.submit(function, *args).result(timeout=self._timeout)
        except concurrent.futures.TimeoutError:
            name = text.sentence_start(self._name or text.KEYCHAIN_FALLBACK_NAME)
            raise KeychainError(
                text.KEYCHAIN_NO_ANSWER.format(name=name, seconds=f"{self._timeout:g}")
            ) from None
        finally:
            pool.shutdown(wait=False)

    def info(self) -> KeychainInfo:
        return self._call(self._store.info)

    def put(self, account: str, value: str) -> None:
        self._call(self._store.put, account, value)

    def get(self, account: str) -> str | None:
        return self._call(self._store.get, account)

    def remove(self, account: str) -> bool:
        return self._call(self._store.remove, account)


def _fingerprint(account: str, secret: str) -> str:
    # Remember what was saved without keeping a second copy of the secret around.
    import hashlib  # on first use, not with the window

    return hashlib.sha256(f"{account}\0{secret}".encode()).hexdigest()
