"""The keyboard focus a page opens with, with its frame drawn at once.

Qt (Fusion, and most styles) draws the focus frame of a radio button, a check box or a push
button only once the window's focus last moved by the keyboard (WA_KeyboardFocusChange,
which a Tab sets and a click clears); focus moved in code, even with TabFocusReason, clears
it. A page opened with a click on Next would then show its first choice with no frame until
Tab or an arrow is pressed, and the admin cannot see where the keyboard is.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget, QWizardPage


def show_focus(widget: QWidget) -> None:
    """Give `widget` the keyboard focus, its focus frame drawn as after a Tab."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    # After the focus moved: moving it from code (outside a Tab key's event) clears the mark.
    widget.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
    widget.update()


def show_focus_on_entry(
    page: QWizardPage, choose: Callable[[], QWidget | None] | None = None
) -> None:
    """Once the page is shown, give the focus to `choose()`'s widget (by default the control
    QWizard gave it to, the page's first), with its frame drawn.

    Called from a page's entered(): QWizard gives the focus to the page's first control after
    initializePage, so this waits for the event loop's next turn.
    """

    def show() -> None:
        wizard = page.wizard()
        if wizard is None or wizard.currentPage() is not page:
            return  # the admin has moved on already
        target = choose() if choose is not None else page.focusWidget()
        if target is not None and page.isAncestorOf(target) and target.isVisible():
            show_focus(target)

    QTimer.singleShot(0, page, show)
