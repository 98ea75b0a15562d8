"""The client secret in a real Secret Service (gnome-keyring in a D-Bus session, see .ci/run)."""

from __future__ import annotations

import os
import secrets
import sys
import uuid
from collections.abc import Callable, Iterator

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend

from wizard.core.secrets import (
    NO_KEYCHAIN,
    SECRET_SERVICE,
    SERVICE,
    KeychainError,
    account_for,
    delete_secret,
    keychain_info,
    load_secret,
    store_secret,
)


@pytest.fixture
def secret_service() -> None:
    """Skip without a Secret Service, except on CI, where a skipped test would hide a gap."""
    info = keychain_info()
    if info.available and info.name == SECRET_SERVICE:
        return
    why = f"No Secret Service is reachable: {info.reason or info.name}"
    if "CI" in os.environ:
        pytest.fail(f"{why} CI is set, so this fails instead of skipping; see .ci/run.")
    pytest.skip(f"{why} Run these tests in a D-Bus session with gnome-keyring, as .ci/run does.")


Connection = tuple[str, str]


@pytest.fixture
def connection(secret_service: None) -> Iterator[Callable[[], Connection]]:
    """Make (host, client ID) pairs no other run uses; whatever they stored is removed after."""
    made: list[Connection] = []
    host = f"https://test-{uuid.uuid4().hex[:12]}.halo.invalid"

    def make() -> Connection:
        pair = (host, str(uuid.uuid4()))
        made.append(pair)
        return pair

    yield make
    for pair in made:
        delete_secret(*pair)


def new_secret() -> str:
    return f"{uuid.uuid4()}-{secrets.token_urlsafe(18)}"


def test_keychain_info_names_the_secret_service(secret_service: None) -> None:
    info = keychain_info()
    assert info.available is True
    assert info.name == "Secret Service (GNOME Keyring / KWallet)"
    assert info.reason is None


def test_store_load_overwrite_delete(connection: Callable[[], Connection]) -> None:
    host, client_id = connection()
    assert load_secret(host, client_id) is None

    first, second = new_secret(), new_secret()
    store_secret(host, client_id, first)
    assert load_secret(host, client_id) == first
    store_secret(host, client_id, second)
    assert load_secret(host, client_id) == second

    assert delete_secret(host, client_id) is True
    # Nothing is left behind: the overwrite replaced the entry rather than adding one.
    assert load_secret(host, client_id) is None
    assert delete_secret(host, client_id) is False


def test_two_client_ids_on_one_host_are_kept_apart(connection: Callable[[], Connection]) -> None:
    host, one = connection()
    _, other = connection()
    secret_one, secret_other = new_secret(), new_secret()
    store_secret(host, one, secret_one)
    store_secret(host, other, secret_other)
    assert load_secret(host, one) == secret_one
    assert load_secret(host, other) == secret_other
    assert delete_secret(host, one) is True
    assert load_secret(host, one) is None
    assert load_secret(host, other) == secret_other


def test_the_address_may_be_written_differently(connection: Callable[[], Connection]) -> None:
    host, client_id = connection()
    secret = new_secret()
    store_secret(host, client_id, secret)
    bare = host.removeprefix("https://").upper() + "/"
    assert load_secret(bare, client_id) == secret
    assert keyring.get_password(SERVICE, account_for(host, client_id)) == secret


def test_unicode_secret(connection: Callable[[], Connection]) -> None:
    host, client_id = connection()
    secret = f"pässwörd-{secrets.token_hex(4)}-ключ-🔑-密"
    store_secret(host, client_id, secret)
    assert load_secret(host, client_id) == secret


def test_account_for_is_client_id_at_host() -> None:
    client_id = str(uuid.uuid4())
    expected = f"{client_id}@acme.halopsa.com"
    assert account_for("https://acme.halopsa.com", client_id) == expected
    assert account_for("https://Acme.HaloPSA.com/", client_id) == expected
    assert account_for("acme.halopsa.com", client_id) == expected
    assert account_for("https://localhost:8443", client_id) == f"{client_id}@localhost:8443"
    with pytest.raises(ValueError):
        account_for("https://", client_id)
    with pytest.raises(ValueError):
        account_for("https://acme.halopsa.com", " ")


@pytest.fixture
def configured_keyring() -> Iterator[Callable[[KeyringBackend], None]]:
    """Select a keyring backend for one test, then put back the one that was active."""
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


def test_fail_backend_is_unavailable(
    configured_keyring: Callable[[KeyringBackend], None],
) -> None:
    configured_keyring(keyring.backends.fail.Keyring())
    info = keychain_info()
    assert info.available is False
    assert info.name == NO_KEYCHAIN
    assert info.reason
    if sys.platform.startswith("linux"):
        assert "No Secret Service is running" in info.reason

    secret = new_secret()
    with pytest.raises(KeychainError) as caught:
        store_secret("https://acme.halopsa.com", str(uuid.uuid4()), secret)
    assert secret not in str(caught.value) and secret not in repr(caught.value)
    assert str(caught.value) == info.reason
    with pytest.raises(KeychainError):
        load_secret("https://acme.halopsa.com", str(uuid.uuid4()))


def test_null_backend_is_unavailable(
    configured_keyring: Callable[[KeyringBackend], None],
) -> None:
    configured_keyring(keyring.backends.null.Keyring())
    info = keychain_info()
    assert info.available is False
    assert info.reason and "turned off" in info.reason
