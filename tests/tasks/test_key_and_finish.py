"""The private key a saved connection signs with, found by one rule for the window and
`diagnose`; and what Finish keeps for the tools on this computer (only what Halo accepted)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from tests.conftest import check
from wizard.core import assertion
from wizard.core.connection_file import AssertionEntry, ConnectionFile, SecretEntry
from wizard.core.kinds import KeyStore
from wizard.core.store import MemoryStore
from wizard.sim import SimulatedHalo
from wizard.tasks.credential import KeyProblem, choose_key, key_account
from wizard.tasks.save import SaveProblem, SaveRefused, keep_for_tools, tools_account

HOST, CLIENT = "https://acme.halopsa.com", "6f1c0c0e-1b2a-4c3d-9e8f-0a1b2c3d4e5f"


def signed(entry: AssertionEntry) -> ConnectionFile:
    return ConnectionFile(HOST, CLIENT, ("read:tickets",), SecretEntry("none"), assertion=entry)


@pytest.fixture(scope="module")
def key() -> object:
    return assertion.generate_key_pair(2048)


def test_the_key_in_its_keychain_entry_is_found_and_never_shown(key: object) -> None:
    connection = signed(AssertionEntry.keychain(HOST, CLIENT))
    store = MemoryStore()
    pem = assertion.private_pem(key).decode("ascii")  # type: ignore[arg-type]
    store.put(key_account(connection), pem)
    choice = choose_key(connection, store=store)
    assert choice.found and choice.origin is KeyStore.KEYCHAIN and choice.problem is None
    assert choice.public_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert "PRIVATE" not in repr(choice) and choice.public_pem not in repr(choice)


def test_a_missing_entry_an_unusable_one_and_a_locked_keychain_each_say_why() -> None:
    connection = signed(AssertionEntry.keychain(HOST, CLIENT))
    missing = choose_key(connection, store=MemoryStore())
    assert not missing.found and missing.problem is KeyProblem.NOT_IN_KEYCHAIN
    store = MemoryStore()
    store.put(key_account(connection), "not a key at all")
    unusable = choose_key(connection, store=store)
    assert unusable.problem is KeyProblem.KEYCHAIN_UNUSABLE and "not a key" not in (
        unusable.detail or ""
    )
    locked = choose_key(connection, store=MemoryStore(broken="The keyring is locked."))
    assert locked.problem is KeyProblem.KEYCHAIN_UNREADABLE
    assert locked.detail == "The keyring is locked."


def test_a_key_file_is_read_or_named_as_unusable(key: object, tmp_path: Path) -> None:
    files = assertion.write_key_pair(tmp_path, key)  # type: ignore[arg-type]
    found = choose_key(signed(AssertionEntry("file", str(files.private_key))), store=MemoryStore())
    assert found.found and found.origin is KeyStore.FILE
    assert found.path == str(files.private_key)
    gone = tmp_path / "gone.pem"
    lost = choose_key(signed(AssertionEntry("file", str(gone))), store=MemoryStore())
    assert lost.problem is KeyProblem.FILE_UNUSABLE and str(gone) in (lost.detail or "")
    nowhere = choose_key(signed(AssertionEntry("none")), store=MemoryStore())
    assert nowhere.problem is KeyProblem.NOT_KEPT


def test_finish_keeps_only_a_secret_halo_accepted(halo: SimulatedHalo, ca_bundle: str) -> None:
    store = MemoryStore()
    account = tools_account(halo.url, halo.client_id)
    before = secrets.token_urlsafe(30)
    store.put(account, before)
    wrong = secrets.token_urlsafe(30)
    refused = check(halo, ca_bundle, client_secret=wrong)
    with pytest.raises(SaveRefused) as raised:
        keep_for_tools(refused, store=store, client_id=halo.client_id, value=wrong)
    assert raised.value.problem is SaveProblem.NOT_ACCEPTED
    assert store.get(account) == before, "the kept secret stays"
    accepted = check(halo, ca_bundle)
    kept = keep_for_tools(accepted, store=store, client_id=halo.client_id, value=halo.client_secret)
    assert kept == account and store.get(account) == halo.client_secret
    broken = MemoryStore(broken="The keyring is locked.")
    with pytest.raises(SaveRefused) as locked:
        keep_for_tools(accepted, store=broken, client_id=halo.client_id, value="x")
    assert locked.value.problem is SaveProblem.KEYCHAIN
