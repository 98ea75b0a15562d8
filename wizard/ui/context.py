"""What every page is given: the flow, the engine and keychain calls, and the run's settings.

The calls are passed in rather than imported by the pages, so tests can hand a page a
keychain that fails or hangs, and the keychain library is loaded only when first used
(it is slow to import and the first page must paint fast).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices

from wizard.flow import WizardFlow

if TYPE_CHECKING:
    from wizard.core import CheckReport
    from wizard.core.model import LocalRoutes
    from wizard.core.store import MemoryStore, SecretStore
    from wizard.ui.demo import DemoSession
    from wizard.ui.keychain import Keychain


# The engine (and its HTTP stack) and the keychain library load on first use, not when the
# window opens: the first page must paint fast.


async def _run_check(*args: Any, **kwargs: Any) -> CheckReport:
    from wizard.core.engine import run_check

    return await run_check(*args, **kwargs)


async def _run_discovery(*args: Any, **kwargs: Any) -> CheckReport:
    from wizard.core.engine import run_discovery

    return await run_discovery(*args, **kwargs)


def _secret_store() -> SecretStore:
    # The keychain library itself loads on the store's first call, not with the window:
    # the first page must paint fast.
    from wizard.core.store import KeychainStore

    return KeychainStore()


@dataclass(frozen=True)
class FileQuestion:
    """What a file dialog asks: a file to open, or where to save one."""

    title: str
    folder: str
    name_filter: str
    save: bool = False
    # The file name offered (saving), and the ending added to a name typed without one.
    suggested: str = ""
    default_suffix: str = ""
    # A folder is chosen, not a file (where key files are written).
    folder_only: bool = False


async def _choose_file(parent: Any, question: FileQuestion) -> str | None:
    """Ask for a file with the system's dialog; None when the admin cancels.

    open(), not exec() or the static helpers: no nested event loop while tasks run.
    """
    import asyncio

    from PySide6.QtWidgets import QFileDialog

    dialog = QFileDialog(parent, question.title, question.folder)
    if question.folder_only:
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    elif question.save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilter(question.name_filter)
    if question.default_suffix:
        dialog.setDefaultSuffix(question.default_suffix)
    if question.suggested:
        dialog.selectFile(question.suggested)
    answer: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()

    def chosen(path: str) -> None:
        if not answer.done():
            answer.set_result(path or None)

    def finished(_result: int) -> None:
        if not answer.done():
            answer.set_result(None)

    dialog.fileSelected.connect(chosen)
    dialog.finished.connect(finished)
    dialog.open()
    try:
        return await answer
    finally:
        dialog.deleteLater()


def _open_url(url: str) -> bool:
    return QDesktopServices.openUrl(QUrl(url))


def documents_folder() -> str:
    """The user's Documents folder, or the home folder where there is none."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and os.path.isdir(documents):
        return documents
    return os.path.expanduser("~")


@dataclass(frozen=True)
class Services:
    """The blocking and network calls the pages make, replaceable in tests."""

    run_check: Callable[..., Awaitable[CheckReport]] = _run_check
    run_discovery: Callable[..., Awaitable[CheckReport]] = _run_discovery
    # Where secrets and private keys are kept (wizard/core/store.py): the computer's
    # keychain, or memory (the demo, tests). Its calls block: the pages run them off the GUI
    # thread.
    secret_store: SecretStore = field(default_factory=_secret_store)
    # The file dialogs (open a connection file, save a report): tests answer them instead.
    choose_file: Callable[[Any, FileQuestion], Awaitable[str | None]] = _choose_file
    open_url: Callable[[str], bool] = _open_url
    # A locked Secret Service can wait for a password prompt forever.
    keychain_timeout: float = 20.0


@dataclass
class UiContext:
    flow: WizardFlow
    services: Services = field(default_factory=Services)
    ca_bundle: str | None = None
    timeout: float = 10.0
    demo: DemoSession | None = None
    documents_dir: str = field(default_factory=documents_folder)
    keychain: Keychain = field(init=False)
    # The demo's keychain, in memory (what it holds can be looked at); None outside a demo.
    memory_keychain: MemoryStore | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        from wizard.ui.keychain import Keychain

        if self.demo is not None:
            from wizard.core.store import MemoryStore
            from wizard.ui import text

            # Whatever services were given: a demo never touches the computer's keychain.
            memory = MemoryStore(name=text.DEMO_KEYCHAIN_NAME)
            self.services = replace(self.services, secret_store=memory)
            self.memory_keychain = memory
        self.keychain = Keychain(self.services, in_memory=self.demo is not None)

    @property
    def routes(self) -> LocalRoutes | None:
        """In a demo, how checks reach its simulated Halo under its hosted name."""
        return self.demo.routes if self.demo is not None else None

    @property
    def save_folder(self) -> str:
        """Where a connection file goes by default: the demo's own folder in a demo."""
        if self.demo is not None:
            return self.demo.folder
        return self.documents_dir

    def forget_stale_results(self) -> None:
        """The demo's situation changed: drop the results found in the previous one."""
        if self.demo is None:
            return
        state = self.flow.state
        if state.discovery is not None and self.demo.changes_discovery:
            self.flow.update(discovery=None, report=None, exported_to=None)
        elif state.report is not None:
            self.flow.update(report=None, exported_to=None)
