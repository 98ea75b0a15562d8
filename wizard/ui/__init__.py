"""The wizard's window: Qt widgets only, built on wizard.flow; started by wizard.ui.app.main."""

from wizard.ui._refcount import keep_none_alive

# Before any widget exists: see _refcount for the PySide6 bug this works around.
keep_none_alive()
