"""Child process for bench_gui.py: start a window and print the seconds until its first paint.

    python bench/_gui_child.py wizard|bare START_TIME

START_TIME is the parent's time.time() just before it started this process, so the figure
includes the interpreter's own start-up and every import.
"""

import os
import sys
import time

START = float(sys.argv[2])
MODE = sys.argv[1]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402


class FirstPaint(QObject):
    """Prints the time of the first paint of a top-level window, then ends the process."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        painted = event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
        if painted and watched.window().isVisible():
            print(f"{time.time() - START:.4f}", flush=True)
            os._exit(0)
        return False


def bare() -> None:
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizard, QWizardPage

    app = QApplication(sys.argv[:1])
    probe = FirstPaint()
    app.installEventFilter(probe)
    wizard = QWizard()
    page = QWizardPage()
    page.setTitle("Welcome")
    QVBoxLayout(page).addWidget(QLabel("A bare QWizard page."))
    wizard.addPage(page)
    wizard.show()
    app.exec()


def product() -> None:
    # Exactly what `halo-wizard` runs, with a paint probe installed on the same QApplication.
    from wizard.ui.app import application

    app = application(sys.argv[:1])
    probe = FirstPaint()
    app.installEventFilter(probe)
    from wizard.cli import main

    main([])


if __name__ == "__main__":
    bare() if MODE == "bare" else product()
