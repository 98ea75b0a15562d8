"""Clean up pasted Client IDs and secrets, and spot values pasted into the wrong field."""

from __future__ import annotations

import codecs
import re

from wizard.core import messages
from wizard.core.cleaning import Cleaned, clean, describe

_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
GUID = re.compile(rf"^{_GUID}$")
# A Halo client secret as seen in Halo's own examples: two GUIDs joined by "-".
SECRET_SHAPE = re.compile(rf"^{_GUID}-{_GUID}$")


def clean_secret(text: str) -> Cleaned:
    """The secret without spaces, line breaks, quotes or invisible characters anywhere, which a
    Halo secret never has. What was removed is said by kind and place, never by value."""
    return clean(text, spaces_inside="remove", name_places=False, quiet_ends=False)


def clean_client_id(text: str) -> Cleaned:
    """The Client ID without what a GUID never holds. Places are not named by the characters
    around them: the "Client ID" is sometimes the secret pasted into the wrong field."""
    return clean(text, spaces_inside="remove", name_places=False)


def looks_like_guid(text: str) -> bool:
    return bool(GUID.match(text))


def looks_like_secret(text: str) -> bool:
    return bool(SECRET_SHAPE.match(text))


def describe_removed(removed: tuple[str, ...]) -> str:
    return describe(removed)


class SecretUnreadable(ValueError):
    """Bytes given as the secret that are not text; the message says what they looked like,
    never what they are."""


_UTF16_MARKS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}


def decode_secret(data: bytes, source: str) -> str:
    """The text of a secret that arrived as bytes (standard input, an environment variable).

    Raises SecretUnreadable, naming `source`, when the bytes are not text this can read.
    """
    if data.startswith(codecs.BOM_UTF8):
        body, encoding = data[len(codecs.BOM_UTF8) :], "utf-8"
    elif data[:2] in _UTF16_MARKS:
        # What Windows PowerShell 5.1 sends: its `>` and Out-File save text as UTF-16 LE
        # behind this mark (with CR LF at the end), so a secret kept in such a file and
        # redirected or piped to the check arrives like this.
        body, encoding = data[2:], _UTF16_MARKS[data[:2]]
    elif _utf16_without_mark(data):
        # ASCII sent as UTF-16 without its mark (a pipe whose encoding was set to Unicode)
        # is valid UTF-8 too, with a zero byte beside each character; no text typed has
        # zero bytes, so it is read as the UTF-16 it is.
        body, encoding = data, "utf-16-le" if data[1] == 0 else "utf-16-be"
    else:
        body, encoding = data, "utf-8"
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as error:
        raise SecretUnreadable(_unreadable(data, source, encoding, error)) from None


def _utf16_without_mark(data: bytes) -> bool:
    """Every second byte zero, and only those: UTF-16 of characters below U+0100."""
    if len(data) < 2 or len(data) % 2:
        return False
    low, high = (data[0::2], data[1::2]) if data[1] == 0 else (data[1::2], data[0::2])
    return not any(high) and all(low)


def _signature(mark: bytes) -> str:
    return " ".join(f"0x{byte:02X}" for byte in mark)


def _unreadable(data: bytes, source: str, encoding: str, error: UnicodeDecodeError) -> str:
    """What the bytes looked like. Only a byte-order mark is shown byte by byte: it is never
    part of the secret itself; of the rest only counts and positions are given."""
    size = len(data)
    if encoding.startswith("utf-16") and data[:2] in _UTF16_MARKS:
        signature = _signature(data[:2])
        if size % 2:
            looks = messages.SECRET_BYTES_UTF16_ODD.format(signature=signature)
        else:
            looks = messages.SECRET_BYTES_UTF16_BROKEN.format(
                signature=signature, position=error.start // 2 + 1
            )
        name = "UTF-16"
    elif data.startswith(codecs.BOM_UTF8):
        looks = messages.SECRET_BYTES_BAD_AFTER_MARK.format(
            signature=_signature(codecs.BOM_UTF8), position=len(codecs.BOM_UTF8) + error.start + 1
        )
        name = "UTF-8"
    else:
        looks = messages.SECRET_BYTES_OTHER.format(position=error.start + 1)
        name = "UTF-8"
    count = messages.BYTE_COUNT[0] if size == 1 else messages.BYTE_COUNT[1].format(size=size)
    return messages.SECRET_BYTES_NOT_TEXT.format(
        source=source, count=count, encoding=name, looks=looks
    )
