"""Fixtures for driving the real wizard window: offscreen Qt, a qasync loop, a fake browser.

QT_QPA_PLATFORM is set before anything creates a QApplication, so the tests run without a
display, on CI and on a developer's machine alike.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from wizard.flow import WizardFlow, WizardState
from wizard.ui.context import Services, UiContext
from wizard.ui.tasks import running_tasks
from wizard.ui.window import WizardWindow


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "secret_service: uses this session's real keychain (required when CI is set)"
    )


@dataclass
class FakeKeychain:
    """An in-memory keychain (a SecretStore, by keychain account) for tests that are not
    about the keychain. `stored` and `private_keys` show what it holds by connection."""

    available: bool = True
    name: str = "Test Keychain"
    reason: str | None = None
    entries: dict[str, str] = field(default_factory=dict)
    fail_with: Exception | None = None

    def info(self) -> Any:
        from wizard.core.secrets import KeychainInfo

        return KeychainInfo(self.available, self.name, self.reason)

    def put(self, account: str, value: str) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.entries[account] = value

    def get(self, account: str) -> str | None:
        if self.fail_with is not None:
            raise self.fail_with
        return self.entries.get(account)

    def remove(self, account: str) -> bool:
        if self.fail_with is not None:
            raise self.fail_with
        return self.entries.pop(account, None) is not None

    def _by_connection(self, private_keys: bool) -> dict[tuple[str, str], str]:
        found = {}
        for account, value in self.entries.items():
            match = _ACCOUNT.match(account)
            assert match is not None, account
            if bool(match["key"]) == private_keys:
                found[("https://" + match["host"], match["client"])] = value
        return found

    @property
    def stored(self) -> dict[tuple[str, str], str]:
        """The secrets it holds, by (https://host, Client ID)."""
        return self._by_connection(False)

    @property
    def private_keys(self) -> dict[tuple[str, str], str]:
        """The private keys of JWT-assertion connections, by (https://host, Client ID)."""
        return self._by_connection(True)

    def keep_for(self, host: str, client_id: str, value: str, *, private_key: bool = False) -> str:
        """Put `value` where a connection file made by SecretEntry.keychain looks; its account."""
        from wizard.core.secrets import PRIVATE_KEY_SUFFIX, account_for

        account = account_for(host, client_id) + (PRIVATE_KEY_SUFFIX if private_key else "")
        self.entries[account] = value
        return account


# A keychain account: {client}@{host}, an entry of one connection's own ([1a2b3c4d]), a key.
_ACCOUNT = re.compile(
    r"^(?P<client>[^@]+)@(?P<host>.+?)(?: \[[0-9a-f]{8}\])?(?P<key> \(private key\))?$"
)


@dataclass
class FileDialogs:
    """Stands in for the system's file dialogs: answers each with the next path given.

    `answers` are taken in order; an empty list answers as Cancel does. `asked` keeps each
    question, to check what the wizard asked.
    """

    answers: list[str | None] = field(default_factory=list)
    asked: list[Any] = field(default_factory=list)

    async def choose(self, parent: Any, question: Any) -> str | None:
        self.asked.append(question)
        return self.answers.pop(0) if self.answers else None


@dataclass
class Browser:
    """Stands in for the system browser: records the addresses the wizard opens."""

    opened: list[str] = field(default_factory=list)

    def open(self, url: str) -> bool:
        self.opened.append(url)
        return True


_RETIRED_TIMERS: list[Any] = []


@pytest.fixture
def event_loop_qt(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """A qasync loop that runs whenever pytest-qt processes Qt events (waitUntil, waitSignal)."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    for task in running_tasks():
        task.cancel()
    for task in asyncio.all_tasks(loop):
        task.cancel()
    # Let the cancelled tasks run their clean-up code.
    deadline = loop.time() + 2.0
    while asyncio.all_tasks(loop) and loop.time() < deadline:
        qapp.processEvents()
    # Not loop.stop(): it calls QApplication.exit(), which, outside exec(), makes every
    # later Qt event loop return at once and so stalls the next tests. The loop only
    # pretended to run, so marking it stopped is all there is to undo.
    loop._QEventLoop__is_running = False
    asyncio.events._set_running_loop(None)
    loop.close()
    asyncio.set_event_loop(None)
    # Keep the loop's timer object alive: dropped, it may be destroyed in a worker thread
    # still finishing a request (Qt warns that timers cannot be stopped from there), and
    # deleted now, late answers queued for the loop would find it gone.
    _RETIRED_TIMERS.append(loop._timer)


@pytest.fixture
def keychain() -> FakeKeychain:
    return FakeKeychain()


@pytest.fixture
def browser() -> Browser:
    return Browser()


@pytest.fixture
def files() -> FileDialogs:
    return FileDialogs()


@pytest.fixture(autouse=True)
def _profiles_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Profiles go to a folder of the test's own, never the user's data folder."""
    from wizard.core import profiles

    folder = tmp_path / "data"
    monkeypatch.setenv(profiles.DATA_DIR_ENV, str(folder))
    return folder


WizardFactory = Callable[..., WizardWindow]


@pytest.fixture
def make_wizard(
    qtbot: Any,
    event_loop_qt: qasync.QEventLoop,
    keychain: FakeKeychain,
    browser: Browser,
    files: FileDialogs,
    tmp_path: Path,
    ca_bundle: str,
) -> Iterator[WizardFactory]:
    """Open the real wizard window, with a fake keychain and browser unless told otherwise."""
    windows: list[WizardWindow] = []

    def make(
        state: WizardState | None = None,
        *,
        services: Services | None = None,
        demo: Any = None,
        timeout: float = 5.0,
    ) -> WizardWindow:
        services = services or Services(
            secret_store=keychain,
            open_url=browser.open,
            choose_file=files.choose,
            keychain_timeout=5.0,
        )
        context = UiContext(
            flow=WizardFlow(state),
            services=services,
            ca_bundle=ca_bundle,
            timeout=timeout,
            demo=demo,
            documents_dir=str(tmp_path),
        )
        window = WizardWindow(context)
        qtbot.addWidget(window)
        with qtbot.waitExposed(window):
            window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.isVisible():
            window.close_now()
