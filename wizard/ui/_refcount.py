"""A guard against a PySide6 bug that would crash the wizard on Python 3.11.

PySide6 6.12.0 returns None from every method without a result without counting the
reference (harmless from Python 3.12, where None is immortal). On Python 3.11 each such
call, `label.setText(...)` for one, takes one count off None; after a few thousand calls
(a minute of typing) the interpreter aborts with "none_dealloc: deallocating None".

When the bug is present, None is made immortal by hand, as Python 3.12 does: its count is
raised far beyond what the leak can ever consume. None is a static object that is never
freed, so nothing else changes.
"""

from __future__ import annotations

import ctypes
import sys

_PROBES = 64


def none_reference_leaks() -> bool:
    """Whether calling a PySide6 method that returns nothing loses a reference to None."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBES):
        probe.setObjectName("")
    return sys.getrefcount(None) <= before - _PROBES // 2


def keep_none_alive() -> bool:
    """Apply the guard if this interpreter needs it; True when it was applied."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not none_reference_leaks():
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += sys.maxsize // 4
    return True
