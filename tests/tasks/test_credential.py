"""Which secret a test uses: the explicit before the implicit, one rule for every path."""

from __future__ import annotations

import secrets

import pytest

from wizard.core.connection_file import ConnectionFile, SecretEntry
from wizard.core.kinds import SecretFrom
from wizard.core.secrets import SERVICE, own_account
from wizard.core.store import MemoryStore
from wizard.tasks.credential import SECRET_ENV, SecretNote, SecretProblem, choose_secret

HOST, CLIENT = "https://acme.halopsa.com", "6f1c0c0e-1b2a-4c3d-9e8f-0a1b2c3d4e5f"


def connection(entry: SecretEntry) -> ConnectionFile:
    return ConnectionFile(HOST, CLIENT, ("read:tickets",), entry)


@pytest.fixture
def kept() -> tuple[ConnectionFile, MemoryStore, str]:
    account = own_account(HOST, CLIENT)
    store = MemoryStore()
    secret = secrets.token_urlsafe(30)
    store.put(account, secret)
    return connection(SecretEntry("keychain", SERVICE, account)), store, secret


def test_the_connections_own_secret_beats_a_leftover_variable(
    kept: tuple[ConnectionFile, MemoryStore, str],
) -> None:
    saved, store, secret = kept
    leftover = secrets.token_urlsafe(30)
    choice = choose_secret(saved, store=store, environ={SECRET_ENV: leftover})
    assert (choice.secret, choice.origin) == (secret, SecretFrom.KEYCHAIN)
    assert choice.notes == (SecretNote.ENVIRONMENT_NOT_USED,)
    assert leftover not in repr(choice) and secret not in repr(choice)


def test_standard_input_beats_everything(kept: tuple[ConnectionFile, MemoryStore, str]) -> None:
    saved, store, _ = kept
    typed = secrets.token_urlsafe(30)
    choice = choose_secret(saved, store=store, stdin_secret=typed, environ={SECRET_ENV: "x"})
    assert (choice.secret, choice.origin) == (typed, SecretFrom.STDIN)
    assert choice.notes == (SecretNote.ENVIRONMENT_NOT_USED,)


def test_the_variable_stands_in_for_a_missing_entry_and_says_so() -> None:
    saved = connection(SecretEntry("keychain", SERVICE, own_account(HOST, CLIENT)))
    choice = choose_secret(saved, store=MemoryStore(), environ={SECRET_ENV: "from-env"})
    assert (choice.secret, choice.origin) == ("from-env", SecretFrom.ENVIRONMENT)
    assert choice.notes == (SecretNote.KEYCHAIN_MISSING_USED_ENVIRONMENT,)
    nothing = choose_secret(saved, store=MemoryStore(), environ={})
    assert nothing.secret is None and nothing.problem is SecretProblem.NOT_IN_KEYCHAIN


def test_an_unusable_keychain_is_said_with_its_own_words() -> None:
    saved = connection(SecretEntry("keychain", SERVICE, own_account(HOST, CLIENT)))
    broken = MemoryStore(broken="The keychain is locked.")
    choice = choose_secret(saved, store=broken, environ={})
    assert choice.problem is SecretProblem.KEYCHAIN_UNREADABLE
    assert choice.detail == "The keychain is locked."


def test_a_secret_in_the_file_and_a_rotation() -> None:
    embedded = connection(SecretEntry.embedded("in-the-file"))
    choice = choose_secret(embedded, store=MemoryStore(), environ={SECRET_ENV: "env"})
    assert (choice.secret, choice.origin) == ("in-the-file", SecretFrom.CONNECTION_FILE)
    # A rotation never uses the kept secret: the new one is given.
    new = choose_secret(embedded, store=MemoryStore(), environ={}, rotating=True)
    assert new.secret is None and new.problem is SecretProblem.ROTATING
    assert (
        choose_secret(
            embedded, store=MemoryStore(), environ={SECRET_ENV: "n"}, rotating=True
        ).origin
        is SecretFrom.ENVIRONMENT
    )
    pasted = choose_secret(None, store=MemoryStore(), environ={})
    assert pasted.origin is SecretFrom.PROMPT and pasted.problem is SecretProblem.NOT_GIVEN
