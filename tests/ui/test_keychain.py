"""Where the secret goes: a real Secret Service when there is one, and every way it can fail.

The tests marked `secret_service` use the real keychain of the session (on CI a
gnome-keyring under dbus-run-session, started by .ci/run). Without one they are skipped
locally and fail on CI, where one must exist.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import HaloFactory
from tests.ui.conftest import Browser, FakeKeychain, WizardFactory
from tests.ui.driver import (
    FINISH,
    QT_LOG_MARKS,
    click,
    click_next,
    enter_credentials,
    page,
    shot,
    wait_idle,
    walk_to_credentials,
)
from tests.ui.test_paths import save_file
from wizard.flow import StepKey
from wizard.sim import SimulatedHalo
from wizard.ui import text
from wizard.ui.context import Services
from wizard.ui.window import WizardWindow

pytestmark = QT_LOG_MARKS


@pytest.fixture
def secret_service() -> Iterator[list[tuple[str, str] | str]]:
    """The session's real keychain; yields a list of entries to delete afterwards: (host,
    client_id) for the entry every tool finds by them, or a keychain account."""
    from wizard.core.secrets import delete_at, delete_secret, keychain_info

    info = keychain_info()
    if not info.available:
        message = f"no usable keychain in this session: {info.reason}"
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide a Secret Service; {message}")
        pytest.skip(message)
    created: list[tuple[str, str] | str] = []
    yield created
    for entry in created:
        if isinstance(entry, str):
            delete_at(entry)
        else:
            delete_secret(*entry)


def to_export(
    qtbot: Any, window: WizardWindow, halo: SimulatedHalo, shots: str | None = None
) -> Any:
    walk_to_credentials(qtbot, window, halo)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    if shots:
        qtbot.waitUntil(lambda: page(window).context.keychain.checked, timeout=5000)
        shot(window, shots, "07-credentials")
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    return click_next(qtbot, window, StepKey.EXPORT)


@pytest.mark.secret_service
def test_remember_keeps_the_secret_in_the_real_secret_service(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    browser: Browser,
    secret_service: list[tuple[str, str] | str],
) -> None:
    from wizard.core.secrets import SECRET_SERVICE, load_at

    halo = start_halo("healthy")
    window = make_wizard(services=Services(open_url=browser.open, keychain_timeout=10.0))
    walk_to_credentials(qtbot, window, halo)
    credentials = page(window)
    qtbot.waitUntil(lambda: window.context.keychain.checked, timeout=10000)
    assert credentials.remember.isChecked() and credentials.remember.isEnabled()
    desktop = text.KEYCHAIN_NAMES[SECRET_SERVICE]
    assert credentials.keychain_note.text().startswith(f"Kept in {desktop}, where")
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    click_next(qtbot, window, StepKey.EXPORT)
    data = save_file(qtbot, window)
    account = data["secret"]["account"]
    secret_service.append(account)
    # An entry of its own for this connection, named in the file.
    assert account.startswith(f"{halo.client_id}@{halo.url.split('//')[1]} [")
    assert data["secret"] == {
        "store": "keychain",
        "service": "Halo connection wizard",
        "account": account,
    }
    assert load_at(account) == halo.client_secret
    assert f"The secret is in {desktop}: look for" in page(window).save_result.label.text()


@pytest.mark.secret_service
def test_finish_without_a_file_still_keeps_the_secret_in_the_real_keychain(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    browser: Browser,
    secret_service: list[tuple[str, str] | str],
) -> None:
    from wizard.core.secrets import load_secret

    halo = start_halo("healthy")
    window = make_wizard(services=Services(open_url=browser.open, keychain_timeout=10.0))
    to_export(qtbot, window, halo)
    qtbot.waitUntil(lambda: window.context.keychain.checked, timeout=10000)
    secret_service.append((halo.url, halo.client_id))
    click(qtbot, window.button(FINISH))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert load_secret(halo.url, halo.client_id) == halo.client_secret


def test_without_a_keychain_the_box_is_off_and_the_secret_stays_in_memory(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory, keychain: FakeKeychain
) -> None:
    keychain.available = False
    keychain.name = "no keychain"
    keychain.reason = "No Secret Service is running (install GNOME Keyring or KWallet)."
    halo = start_halo("healthy")
    window = make_wizard()
    export = to_export(qtbot, window, halo, shots="no-keychain")
    credentials: Any = window.page_for(StepKey.CREDENTIALS)
    assert not credentials.remember.isChecked() and not credentials.remember.isEnabled()
    note = credentials.keychain_note.text()
    assert keychain.reason in note and "kept in memory only" in note
    assert not export.keychain_radio.isEnabled() and export.none_radio.isChecked()
    shot(window, "no-keychain", "09-export")
    data = save_file(qtbot, window)
    assert data["secret"] == {"store": "none"} and keychain.stored == {}
    click(qtbot, window.button(FINISH))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def test_a_keychain_that_refuses_is_reported_and_nothing_is_written(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory, keychain: FakeKeychain
) -> None:
    from wizard.core.secrets import KeychainError

    keychain.fail_with = KeychainError(
        "Could not save the secret: the Test Keychain is locked, or the request to unlock it "
        "was dismissed. Unlock it (log in again) and try again."
    )
    halo = start_halo("healthy")
    window = make_wizard()
    export = to_export(qtbot, window, halo)
    click(qtbot, export.save_button)
    qtbot.waitUntil(lambda: export.save_result.mark.kind == "error", timeout=5000)
    wait_idle(qtbot, window)
    shot(window, "keychain-refuses", "09-export")
    message = export.save_result.label.text()
    assert "Could not save the secret: the Test Keychain is locked" in message
    assert "Nothing was written" in message
    assert window.context.flow.state.exported_to is None
    assert list(Path(window.context.documents_dir).iterdir()) == []
    # Finish does not close silently either: it says why.
    click(qtbot, window.button(FINISH))
    qtbot.waitUntil(lambda: export.finish_status.mark.kind == "error", timeout=5000)
    wait_idle(qtbot, window)
    assert window.isVisible()
    # Choosing to keep the secret nowhere is the admin's explicit way out.
    click(qtbot, export.none_radio)
    assert save_file(qtbot, window)["secret"] == {"store": "none"}


def test_a_keychain_that_never_answers_times_out_with_a_plain_explanation(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    keychain: FakeKeychain,
    browser: Browser,
) -> None:
    release = threading.Event()

    class Hanging(FakeKeychain):
        def put(self, account: str, value: str) -> None:
            release.wait(10)

    halo = start_halo("healthy")
    services = Services(secret_store=Hanging(), open_url=browser.open, keychain_timeout=0.5)
    window = make_wizard(services=services)
    export = to_export(qtbot, window, halo)
    click(qtbot, export.save_button)
    qtbot.waitUntil(lambda: export.save_result.mark.kind == "error", timeout=5000)
    wait_idle(qtbot, window)
    release.set()
    message = export.save_result.label.text()
    assert "did not answer within 0.5 seconds" in message and "locked" in message
    assert not export.busy and export.save_button.isEnabled()
    assert window.context.flow.state.exported_to is None


def test_embedding_the_secret_is_an_explicit_choice_with_a_warning(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory, keychain: FakeKeychain
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    export = to_export(qtbot, window, halo)
    assert export.keychain_radio.isChecked() and not export.embed_warning.isVisible()
    click(qtbot, export.embed_radio)
    assert export.embed_warning.isVisible()
    assert "Anyone who can read the file" in export.embed_warning.label.text()
    shot(window, "embed", "09-export")
    data = save_file(qtbot, window)
    assert data["secret"] == {"store": "embedded", "value": halo.client_secret}
    path = window.context.flow.state.exported_to
    assert path is not None and os.stat(path).st_mode & 0o077 == 0
    assert keychain.stored == {}


def test_finish_waits_for_a_slow_keychain_and_still_saves_the_secret(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    keychain: FakeKeychain,
    browser: Browser,
) -> None:
    import time

    from wizard.flow import AppChoice, IdentityChoice, WizardState

    class Slow:
        """The test's keychain, slow to say what it is."""

        def info(self) -> Any:
            time.sleep(3.0)
            return keychain.info()

        def put(self, account: str, value: str) -> None:
            keychain.put(account, value)

        def get(self, account: str) -> str | None:
            return keychain.get(account)

        def remove(self, account: str) -> bool:
            return keychain.remove(account)

    halo = start_halo("healthy")
    services = Services(secret_store=Slow(), open_url=browser.open, keychain_timeout=5.0)
    state = WizardState(
        tool="script",
        app_choice=AppChoice.EXISTING,
        identity=IdentityChoice.AGENT,
        scopes=("read:tickets",),
        host_text=halo.url,
        client_id_text=halo.client_id,
        secret_text=halo.client_secret,
    )
    window = make_wizard(state, services=services)
    for step in (
        StepKey.TOOL,
        StepKey.IDENTITY,
        StepKey.SCOPES,
        StepKey.HOSTNAME,
        StepKey.TENANT,
        StepKey.CREDENTIALS,
        StepKey.TEST,
        StepKey.EXPORT,
    ):
        click_next(qtbot, window, step)
        wait_idle(qtbot, window)
    export = page(window)
    # Still looking: the keychain is what is offered, not "nowhere".
    assert not window.context.keychain.checked
    assert export.keychain_radio.isChecked()
    click(qtbot, window.button(FINISH))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=8000)
    assert keychain.stored == {(halo.url, halo.client_id): halo.client_secret}


def test_a_secret_halo_refused_is_never_kept_and_the_page_says_so(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory, keychain: FakeKeychain
) -> None:
    """The same rule as `check --save` (wizard/tasks/save.py): a secret without a token is
    not kept, and whatever was kept before stays as it was."""
    from wizard.core.secrets import own_account

    halo = start_halo("wrong_secret")
    before = own_account(halo.url, halo.client_id)
    keychain.put(before, "kept-by-another-connection")
    window = make_wizard()
    export = to_export(qtbot, window, halo)
    assert export.keychain_radio.isChecked()
    data = save_file(qtbot, window)
    assert data["secret"] == {"store": "none"}
    assert keychain.entries == {before: "kept-by-another-connection"}
    said = export.save_result.label.text()
    assert "Halo did not accept the secret or key in the last test, so it was not kept" in said
    assert halo.client_secret not in said
    shot(window, "not-accepted", "09-export")
