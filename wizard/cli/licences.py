"""`licences`: the licences of the software the wizard is built on."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from wizard.cli.common import EXIT_OK, EXIT_PROBLEMS


def add_command(commands: Any) -> None:
    commands.add_parser(
        "licences",
        aliases=["licenses"],
        help="print the licences of the software the wizard is built on",
        description="Print the licence and copyright of each part of the wizard: Python, Qt "
        "and PySide6 (with how to replace them), OpenSSL and every Python package. The "
        "installed app prints the texts it carries; run from the source code, they are "
        "read from the installed packages the wizard needs.",
    )


def run(out: TextIO) -> int:
    from wizard.core.notices import NoticesError, licences_text

    try:
        text = licences_text()
    except NoticesError as exc:
        sys.stderr.write(f"halo-wizard: {exc}\n")
        return EXIT_PROBLEMS
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        # A console that cannot show every name (a Windows code page): "?" in their place.
        text = text.encode(encoding, "replace").decode(encoding, "replace")
    out.write(text)
    out.flush()
    return EXIT_OK
