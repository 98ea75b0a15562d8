"""Keep the client secret in the operating system's keychain, never in a plain file.

Every call here blocks and can hang: a locked Secret Service waits for the user to type a
password in a prompt that may never be seen. Callers run these functions in an executor
with a timeout (the GUI does); no threads are started here.

The secret never appears in a message, a log or a repr. Only the keychains of the operating
system are used (Windows Credential Manager, macOS Keychain, the Secret Service on Linux,
KWallet): a `keyring` backend that keeps secrets in a file (keyrings.alt) or one this
module does not know is reported as unavailable rather than used.
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass

import keyring
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
from keyring.errors import (
    InitError,
    KeyringLocked,
    NoKeyringError,
    PasswordDeleteError,
    PasswordSetError,
)

from wizard.core.log import register_secret

SERVICE = "Halo connection wizard"

WINDOWS = "Windows Credential Manager"
MACOS = "macOS Keychain"
SECRET_SERVICE = "Secret Service (GNOME Keyring / KWallet)"
KWALLET = "KDE Wallet (KWallet)"
NO_KEYCHAIN = "no keychain"

# Matched by class path rather than by importing the classes: the Windows and macOS
# modules are not meant to be loaded on other systems.
_KNOWN: dict[str, str] = {
    "keyring.backends.Windows.WinVaultKeyring": WINDOWS,
    "keyring.backends.macOS.Keyring": MACOS,
    "keyring.backends.SecretService.Keyring": SECRET_SERVICE,
    "keyring.backends.libsecret.Keyring": SECRET_SERVICE,
    "keyring.backends.kwallet.DBusKeyring": KWALLET,
}
_FAIL = "keyring.backends.fail.Keyring"
_NULL = "keyring.backends.null.Keyring"

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeychainInfo:
    """Where a secret would be kept, in plain English, and why not when it cannot be."""

    available: bool
    name: str
    reason: str | None = None


class KeychainError(Exception):
    """A keychain operation failed; the message says what happened and what to do."""


def _no_keychain_reason() -> str:
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return (
            "No Secret Service is running (install GNOME Keyring or KWallet, and log in to a "
            "desktop session)."
        )
    return "No keychain could be found on this computer."


def _class_path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _known_name(backend: KeyringBackend) -> str | None:
    # Walk the MRO so that a subclass of a known backend (KWallet 4 and 5) is recognised.
    for cls in type(backend).__mro__:
        name = _KNOWN.get(_class_path(cls))
        if name is not None:
            return name
    return None


def _active_backend() -> KeyringBackend | None:
    """The one backend secrets would be written to and read from, or None when there is none."""
    backend = keyring.get_keyring()
    if isinstance(backend, ChainerBackend):
        # The chainer writes to its first backend but reads from all of them, so a secret
        # could be picked up from a plaintext file lower down. Use the first one only.
        chained = list(backend.backends)
        return chained[0] if chained else None
    return backend


_last_noted: tuple[str | None, KeychainInfo] | None = None


def _inspect() -> tuple[KeyringBackend | None, KeychainInfo]:
    backend, info = _examine()
    _note_choice(backend, info)
    return backend, info


def _note_choice(backend: KeyringBackend | None, info: KeychainInfo) -> None:
    # Once per answer rather than per call: the GUI and doctor ask several times.
    global _last_noted
    path = None if backend is None else _class_path(type(backend))
    if _last_noted == (path, info):
        return
    _last_noted = (path, info)
    if info.available:
        _log.info("keychain: %s (%s)", info.name, path)
    else:
        _log.info("keychain: none usable: %s", info.reason)


def _examine() -> tuple[KeyringBackend | None, KeychainInfo]:
    try:
        backend = _active_backend()
    except Exception as exc:  # a broken PYTHON_KEYRING_BACKEND or keyringrc.cfg
        reason = (
            f"The keychain settings of this computer name a keychain that cannot be loaded "
            f"({type(exc).__name__}: {exc}). Check PYTHON_KEYRING_BACKEND and keyringrc.cfg."
        )
        return None, KeychainInfo(False, NO_KEYCHAIN, reason)
    if backend is None:
        return None, KeychainInfo(False, NO_KEYCHAIN, _no_keychain_reason())

    path = _class_path(type(backend))
    if path == _FAIL:
        return None, KeychainInfo(False, NO_KEYCHAIN, _no_keychain_reason())
    if path == _NULL:
        reason = (
            "The keychain is turned off for Python programs on this computer (keyring is set "
            "to its 'null' backend in PYTHON_KEYRING_BACKEND or keyringrc.cfg)."
        )
        return None, KeychainInfo(False, NO_KEYCHAIN, reason)
    if path.startswith("keyrings.alt."):
        reason = (
            f"The keychain settings of this computer select {path}, which keeps secrets in a "
            "file rather than in the operating system's keychain; the secret is not stored "
            "there. Uninstall keyrings.alt or choose the system keychain in keyringrc.cfg."
        )
        return None, KeychainInfo(False, NO_KEYCHAIN, reason)

    name = _known_name(backend)
    if name is None:
        reason = (
            f"The keychain settings of this computer select {path}, which is not a keychain "
            "of the operating system that this program knows how to use safely."
        )
        return None, KeychainInfo(False, NO_KEYCHAIN, reason)
    try:
        # A classproperty: for D-Bus keychains this asks whether the service is running,
        # without opening, creating or unlocking anything.
        priority = float(backend.priority)
    except Exception as exc:
        if name in (SECRET_SERVICE, KWALLET):
            return None, KeychainInfo(False, name, _no_keychain_reason())
        return None, KeychainInfo(False, name, f"{name} cannot be used: {exc}")
    if priority < 1:
        return None, KeychainInfo(False, name, f"{name} is not usable on this computer.")
    return backend, KeychainInfo(True, name, None)


def keychain_info() -> KeychainInfo:
    """Which keychain a secret would go to, without opening, unlocking or reading it."""
    return _inspect()[1]


def backend_class_path() -> str | None:
    """The class path of the keyring backend secrets would go to, None when none loads.

    "keyring.backends.SecretService.Keyring", "keyring.backends.fail.Keyring", ...: what a
    supporter compares with PYTHON_KEYRING_BACKEND and keyringrc.cfg. Opens nothing.
    """
    try:
        backend = _active_backend()
    except Exception:  # a broken PYTHON_KEYRING_BACKEND; keychain_info() says why
        return None
    return None if backend is None else _class_path(type(backend))


def account_for(host: str, client_id: str) -> str:
    """The keychain account ("user name") for a connection: ``{client_id}@{host}``.

    `host` loses its scheme and trailing slashes and is lower-cased (host names are not
    case-sensitive), so ``https://Acme.halopsa.com/`` and ``acme.halopsa.com`` give the
    same account; a port is kept. `client_id` is kept exactly as given. Together with
    SERVICE this names the entry, and it never changes between versions of the program:
    tools given a connection file look the secret up by it.
    """
    bare = _SCHEME.sub("", host.strip()).rstrip("/").lower()
    client = client_id.strip()
    if not bare or not client:
        raise ValueError("Both the Halo address and the Client ID are needed.")
    return f"{client}@{bare}"


def _backend() -> tuple[KeyringBackend, str]:
    backend, info = _inspect()
    if backend is None:
        raise KeychainError(info.reason or "No keychain is available.")
    return backend, info.name


def _error(doing: str, place: str, exc: Exception, secret: str | None = None) -> KeychainError:
    """Turn what keyring (or the D-Bus library under it) raised into a plain-English error."""
    module = type(exc).__module__
    kind = type(exc).__name__
    if isinstance(exc, KeyringLocked) or kind in ("LockedException", "PromptDismissedException"):
        text = (
            f"Could not {doing}: the {place} is locked, or the request to unlock it was "
            "dismissed. Unlock it (log in again) and try again."
        )
    elif isinstance(exc, NoKeyringError) or kind == "SecretServiceNotAvailableException":
        text = f"Could not {doing}: {_no_keychain_reason()}"
    elif isinstance(exc, InitError):
        text = (
            f"Could not {doing}: the {place} could not open its default keyring. Open the "
            "keychain manager (for example Passwords and Keys), make sure a default keyring "
            "exists and is unlocked, and try again."
        )
    else:
        detail = str(exc)
        if secret and secret in detail:
            detail = detail.replace(secret, "***")
        if module.startswith(("secretstorage", "jeepney", "dbus")):
            text = (
                f"Could not {doing}: the {place} stopped answering or refused the request "
                f"({kind}: {detail}). Log out and in again, then try again."
            )
        elif isinstance(exc, PasswordSetError):
            text = f"Could not {doing}: the {place} refused to store it ({detail})."
        else:
            text = f"Could not {doing} in the {place} ({kind}: {detail}). Try again."
    return KeychainError(text)


# The keychain account of a JWT-assertion connection's private key is its secret's account
# with this suffix (connection_file.AssertionEntry.keychain names it so in the file).
PRIVATE_KEY_SUFFIX = " (private key)"


def own_account(host: str, client_id: str, *, private_key: bool = False) -> str:
    """A new keychain account made for one saved connection alone:
    ``{client_id}@{host} [1a2b3c4d]`` (with PRIVATE_KEY_SUFFIX for a private key).

    Each save makes its own entry, named in its connection file, so that no other saved
    connection's secret is replaced or removed with it (docs/connection-file.md).
    """
    import secrets as random

    account = f"{account_for(host, client_id)} [{random.token_hex(4)}]"
    return account + (PRIVATE_KEY_SUFFIX if private_key else "")


_OWN = re.compile(r" \[[0-9a-f]{8}\](?: \(private key\))?$")


def is_own_account(account: str) -> bool:
    """Whether `account` was made for one saved connection (own_account), rather than the
    entry every connection of one Client ID and host shared before (account_for)."""
    return bool(_OWN.search(account))


def store_secret(host: str, client_id: str, secret: str, *, suffix: str = "") -> None:
    """Save (or replace) the secret for this connection in the keychain; with `suffix`
    (PRIVATE_KEY_SUFFIX), the connection's private key instead."""
    store_at(account_for(host, client_id) + suffix, secret)


def load_secret(host: str, client_id: str, *, suffix: str = "") -> str | None:
    """The stored secret (with `suffix`: private key) for this connection, or None."""
    return load_at(account_for(host, client_id) + suffix)


def delete_secret(host: str, client_id: str, *, suffix: str = "") -> bool:
    """Remove the stored secret (with `suffix`: private key) for this connection; False when
    nothing was stored."""
    return delete_at(account_for(host, client_id) + suffix)


def store_at(account: str, secret: str) -> None:
    """Save (or replace) `secret` under `account` of SERVICE in the keychain."""
    if not secret:
        raise ValueError("There is no secret to store.")
    register_secret(secret)
    backend, place = _backend()
    try:
        backend.set_password(SERVICE, account, secret)
    except Exception as exc:
        error = _error("save the secret", place, exc, secret)
        # Drop the cause if it quotes the secret, so a traceback cannot show it.
        raise error from (None if secret in str(exc) else exc)


def load_at(account: str) -> str | None:
    """The secret under `account` of SERVICE, or None."""
    backend, place = _backend()
    try:
        secret = backend.get_password(SERVICE, account)
    except Exception as exc:
        raise _error("read the secret", place, exc) from exc
    register_secret(secret)
    return secret


def delete_at(account: str) -> bool:
    """Remove the entry `account` of SERVICE; False when there was none."""
    backend, place = _backend()
    try:
        backend.delete_password(SERVICE, account)
        return True
    except PasswordDeleteError as exc:
        # Windows and the Secret Service raise this for "nothing stored", macOS for any
        # failure: look again to tell the two apart.
        failure: Exception = exc
    except Exception as exc:
        raise _error("remove the secret", place, exc) from exc
    try:
        still_there = backend.get_password(SERVICE, account) is not None
    except Exception as exc:
        raise _error("remove the secret", place, exc) from exc
    if still_there:
        raise _error("remove the secret", place, failure) from failure
    return False
