"""The real wizard, driven from the first page to a written connection file against the simulator."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import HaloFactory
from tests.ui.conftest import FakeKeychain, WizardFactory
from tests.ui.driver import FINISH, click, click_next, enter_credentials, page, shot, wait_idle, walk_to_credentials
from wizard.flow import StepKey

pytestmark = pytest.mark.qt_log_level_fail("WARNING")


def test_happy_path_writes_a_private_connection_file_without_the_secret(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory, keychain: FakeKeychain
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo, shots="happy")
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    shot(window, "happy", "07-credentials")
    test_page = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    shot(window, "happy", "08-test")
    assert test_page.summary.label.text() == "The connection works."
    export = click_next(qtbot, window, StepKey.EXPORT)
    shot(window, "happy", "09-export")
    click(qtbot, export.save_button)
    qtbot.waitUntil(lambda: window.context.flow.state.exported_to is not None, timeout=8000)
    shot(window, "happy", "10-saved")
    path = window.context.flow.state.exported_to
    assert path is not None and os.path.dirname(path) == window.context.documents_dir
    written = Path(path).read_text(encoding="utf-8")
    data = json.loads(written)
    assert data["host"] == halo.url and data["tenant"] == "acme"
    assert data["secret"]["store"] == "keychain"
    assert halo.client_secret not in written
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert keychain.stored[(halo.url, halo.client_id)] == halo.client_secret
    click(qtbot, window.button(FINISH))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=8000)
