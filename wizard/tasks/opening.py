"""Read pasted text to diagnose it, one reading for the window and the command line: a
connection file pasted whole, or the values typed into another tool's form. (A connection
file or a profile is read by ConnectionFile.load and profiles.load.)"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.core import fromtext
from wizard.core.connection_file import ConnectionFile, ConnectionFileError
from wizard.core.fromtext import RecognisedText

# Pasted text larger than this is not a form's values: the rest is not read.
MAX_PASTED = 256 * 1024


@dataclass(frozen=True)
class Pasted:
    """What pasted text is: a connection file (pasted whole), or a tool's form's values."""

    connection: ConnectionFile | None = None
    recognised: RecognisedText | None = None


def read_pasted(raw: str, source: str) -> Pasted:
    """A connection file pasted as text is read as one; anything else as a form's values.
    `source` names the text in a connection file's messages."""
    raw = raw[:MAX_PASTED]
    if raw.lstrip().startswith("{"):
        try:
            return Pasted(ConnectionFile.from_bytes(raw.encode("utf-8", "replace"), source=source))
        except ConnectionFileError:
            pass  # JSON, or text starting with a brace, that is no connection file
    return Pasted(recognised=fromtext.recognise(raw))
