"""The secret canary for the window: the real wizard, from the first page to a saved connection
file, with a recognisable secret, every Copy button pressed, the log at debug level, and the
keychain on (the session's real Secret Service) or off. Afterwards neither the secret nor a
token Halo issued is in any file under the temporary home, config, cache, state, data,
temporary and log folders, in Qt's settings files, on the clipboard or in the output, as it
is or encoded; except in the connection file when the admin chose to embed the secret there.

Not searched: the keyring's own storage (gnome-keyring's files under the XDG_DATA_HOME of
the session that started it, outside these folders), which holds the secret encrypted, as
it should.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QGuiApplication

from tests.canary import Canary, canary_secret, record_issued
from tests.conftest import HaloFactory
from tests.test_secret_canary import private_folders
from tests.ui.conftest import Browser, FakeKeychain, WizardFactory
from tests.ui.driver import (
    FINISH,
    QT_LOG_MARKS,
    choose_tool,
    click,
    click_next,
    enter_credentials,
    page,
    wait_idle,
)
from tests.ui.test_paths import save_file
from wizard.flow import StepKey
from wizard.ui.context import Services

pytestmark = QT_LOG_MARKS


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Per-user folders and the log under tmp_path/home, the log at debug level."""
    from wizard.core.log import setup_logging, stop_logging

    home = tmp_path / "home"
    for name, value in private_folders(home).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(tempfile, "tempdir", str(home / "tmp"))
    monkeypatch.setenv("HALO_WIZARD_LOG_DIR", str(home / "logs"))
    monkeypatch.setenv("HALO_WIZARD_DEBUG", "1")
    levels = {name: logging.getLogger(name).level for name in ("", "wizard", "urllib3")}
    setup_logging()
    yield home
    stop_logging()
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def qt_settings_files() -> list[Path]:
    """Where QSettings keeps this program's settings, in every format Qt offers here.

    Qt fixes its settings folder the first time it is asked, so in a later test these may
    lie under an earlier test's home: they are searched wherever this process would write.
    """
    organisation = QCoreApplication.organizationName()
    names = {QCoreApplication.applicationName(), "halo-wizard"} - {""}
    return [
        Path(QSettings(form, QSettings.Scope.UserScope, organisation, name).fileName())
        for name in sorted(names)
        for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat)
    ]


@pytest.mark.parametrize("store", ["keychain", "embedded", "none"])
def test_the_wizard_leaves_the_secret_and_the_tokens_nowhere(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    keychain: FakeKeychain,
    browser: Browser,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    store: str,
) -> None:
    from wizard.core.secrets import delete_at, keychain_info, load_at

    secret = canary_secret()
    issued: list[tuple[str, str]] = []
    record_issued(lambda kind, value: issued.append((kind, value)), monkeypatch.setattr)
    halo = start_halo("human_admin_agent")  # warnings with fixes: their Copy buttons too
    halo.client_secret = secret
    if store == "none":
        keychain.available = False
        keychain.name = "no keychain"
        keychain.reason = "No Secret Service is running (install GNOME Keyring or KWallet)."
        window = make_wizard()
    else:
        info = keychain_info()
        if not info.available:
            if os.environ.get("CI"):
                pytest.fail(f"CI must provide a Secret Service; {info.reason}")
            pytest.skip(f"no usable keychain in this session: {info.reason}")
        window = make_wizard(services=Services(open_url=browser.open, keychain_timeout=10.0))
    copied: dict[str, str] = {}

    def copy(name: str, button: Any) -> None:
        QGuiApplication.clipboard().clear()
        click(qtbot, button)
        qtbot.waitUntil(lambda: bool(QGuiApplication.clipboard().text()), timeout=5000)
        copied[f"the clipboard after {name}"] = QGuiApplication.clipboard().text()

    account: str | None = None
    try:
        click(qtbot, page(window).new)
        choose_tool(qtbot, window)
        click_next(qtbot, window, StepKey.CREATE_APP)
        click(qtbot, click_next(qtbot, window, StepKey.IDENTITY).agent)
        scopes: Any = click_next(qtbot, window, StepKey.SCOPES)
        click(qtbot, scopes.preset_buttons["ticket_sync"])
        copy("Copy the list", scopes.copy_button)
        hostname: Any = click_next(qtbot, window, StepKey.HOSTNAME)
        hostname.address.setFocus()
        qtbot.keyClicks(hostname.address, halo.url)
        click_next(qtbot, window, StepKey.TENANT)
        wait_idle(qtbot, window)
        credentials: Any = click_next(qtbot, window, StepKey.CREDENTIALS)
        enter_credentials(qtbot, window, halo.client_id, secret)
        click(qtbot, credentials.reveal)
        qtbot.waitUntil(lambda: window.context.keychain.checked, timeout=10000)
        live_test: Any = click_next(qtbot, window, StepKey.TEST)
        wait_idle(qtbot, window)
        assert live_test.summary.label.text().startswith("The connection works")
        copy("Copy the report", live_test.copy_button)
        with_copy = [view for view in live_test.finding_views if view.copy_button is not None]
        assert len(with_copy) >= 2
        for view in with_copy:
            copy(f"Copy these steps ({view.finding.code})", view.copy_button)
        export: Any = click_next(qtbot, window, StepKey.EXPORT)
        if store == "embedded":
            click(qtbot, export.embed_radio)
        for index in range(export.shell.count()):
            export.shell.setCurrentIndex(index)
            copy(f"Copy as environment variables ({export.shell.currentData()})", export.env_button)
        data = save_file(qtbot, window)
        assert data["secret"]["store"] == store
        account = data["secret"].get("account")
        click(qtbot, window.button(FINISH))
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
        if store == "keychain":
            assert load_at(account) == secret
    finally:
        if account is not None:
            delete_at(account)
    exported = window.context.flow.state.exported_to
    assert exported is not None

    canary = Canary()
    canary.add("the client secret", secret)
    assert {kind for kind, _ in issued} == {"access token", "id token"}
    for number, (kind, value) in enumerate(issued, start=1):
        canary.add(f"{kind} {number}", value)

    def chosen(path: Path) -> bool:
        # The file the admin chose to embed the secret in: the one place it belongs.
        return store == "embedded" and path == Path(exported)

    # tmp_path holds home (with the log) and the Documents folder the file is saved to.
    leaks, searched = canary.search_files([tmp_path, *qt_settings_files()], skip=chosen)
    output = capfd.readouterr()
    texts = {**copied, "stdout": output.out, "stderr": output.err}
    texts["the clipboard at the end"] = QGuiApplication.clipboard().text()
    for where, text in texts.items():
        leaks += canary.search_text(where, text)
    assert leaks == []

    log = home / "logs" / "halo-wizard.log"
    assert log in searched and "token" in log.read_text("utf-8")
    assert Path(exported) in searched or chosen(Path(exported))
    in_file = secret in Path(exported).read_text("utf-8")
    assert in_file is (store == "embedded")
