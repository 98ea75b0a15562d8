"""Write the support report (one web page, no secret), by the rules every save follows:
never over a file being read (the connection diagnosed, its key, the pasted text), and over
another existing file only when the admin said so (`force`: --force, or the file dialog's
question answered yes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from wizard.core import htmlreport
from wizard.tasks.save import Target, check_target


def write_report(
    path: str, data: Mapping[str, Any], *, reading: Sequence[str] = (), force: bool = False
) -> Path:
    """Write the report made by htmlreport.report_data to `path`; SaveRefused when it must
    not be written there, ExportError when it could not be."""
    target = check_target(Target(path=path), reading=reading, force=force)
    htmlreport.write_report(str(target), data)
    return target
