"""A guard against a PySide6 bug that would crash the wizard on Python 3.11.

PySide6 6.12.0 treats None, True and False as immortal, as they are from Python 3.12: it
returns None from every method without a result without counting the reference, and it
drops one reference to True or False each time C++ calls a Python override that returns
a bool (QWizardPage.isComplete, for one). On Python 3.11 each such call takes one count
off the object; after a few thousand (a minute of typing) the interpreter aborts with
"none_dealloc: deallocating None" or "bool_dealloc: deallocating True or False".

When the bug is present, the three are made immortal by hand, as Python 3.12 does: their
counts are raised far beyond what the leak can ever consume. They are static objects that
are never freed, so nothing else changes.
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
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += sys.maxsize // 8
    return True
