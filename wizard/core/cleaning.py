"""Take invisible and odd characters out of pasted values, and say exactly what was taken out."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from wizard.core import messages

# Quotes of every kind that a value is pasted in, from a document, an e-mail or a chat.
QUOTES = "\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a\u00ab\u00bb"
# Addresses are pasted in angle brackets too (<https://...>, as e-mail programs write them).
ADDRESS_WRAPPERS = QUOTES + "<>"

_SPACE, _TAB, _LINE_BREAK = "space", "tab", "line_break"
_NBSP, _OTHER_SPACE, _OTHER_BREAK = "nbsp", "unicode_space", "unicode_line_break"
_QUOTE, _BRACKET = "quote", "bracket"
# Space-like characters that a person typing can mean as a space.
_SPACES = frozenset({_SPACE, _TAB, _LINE_BREAK, _NBSP, _OTHER_SPACE, _OTHER_BREAK})
# The ones a keyboard types; the rest are what word processors and web pages put in.
_PLAIN_SPACES = frozenset({_SPACE, _TAB, _LINE_BREAK})

_NAMED = {
    "\ufeff": "bom",
    "\u200b": "zwsp",
    "\u200c": "zwnj",
    "\u200d": "zwj",
    "\u2060": "word_joiner",
    "\u00ad": "soft_hyphen",
    "\u200e": "direction_mark",
    "\u200f": "direction_mark",
    "\u061c": "direction_mark",
    "\x00": "zero_byte",
    " ": _SPACE,
    "\t": _TAB,
    "\u00a0": _NBSP,
    "\u2007": _NBSP,
    "\u202f": _NBSP,
    **dict.fromkeys("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", "direction_control"),
    "\n": _LINE_BREAK,
    "\r": _LINE_BREAK,
    # Line breaks no keyboard types: from word processors, web pages, old mainframe text.
    **dict.fromkeys("\v\f\x85\u2028\u2029", _OTHER_BREAK),
}


def kind_of(char: str) -> str | None:
    """What sort of removable character `char` is (a key of messages.CHARACTER_NAMES), or None
    for an ordinary one that is kept."""
    named = _NAMED.get(char)
    if named is not None:
        return named
    category = unicodedata.category(char)
    if category == "Zs":
        return _OTHER_SPACE
    if category == "Cf":
        return "format"
    if category == "Cc":
        return "control"
    if category == "Cs":
        # A lone surrogate: a byte that was not text (Python's surrogateescape of an argument
        # or a variable in another encoding); it cannot even be sent to Halo.
        return "undecodable"
    return None


@dataclass(frozen=True)
class Cleaned:
    """A pasted value with the removable characters taken out."""

    value: str
    removed: tuple[str, ...] = ()  # plain-English phrases saying what was taken out, and where


@dataclass(frozen=True)
class _Removal:
    kind: str
    index: int  # where it was in the text pasted
    offset: int  # how many characters of the cleaned value come before it
    place: Literal["start", "middle", "end"]
    as_space: bool = False  # replaced by an ordinary space rather than dropped


InsideSpaces = Literal["keep", "remove"]


def clean(
    text: str,
    *,
    spaces_inside: InsideSpaces = "keep",
    name_places: bool = True,
    quiet_ends: bool = True,
    wrappers: str = QUOTES,
) -> Cleaned:
    """`text` without invisible characters, control characters, surrounding spaces and quotes.

    spaces_inside: "remove" for values that never hold a space (a secret, a Client ID); "keep"
    leaves spaces, tabs and line breaks inside for the caller to judge and turns other spaces
    (non-breaking, thin...) into ordinary ones.
    name_places: say where a character was by the word next to it ("after read:tickets");
    False for a secret, whose characters are never shown ("at the end").
    quiet_ends: spaces, tabs and line breaks around the value go without a word, as every
    form trims them; False for the secret, which is pasted unseen.
    """
    kinds = [kind_of(char) for char in text]

    def trimmable(i: int) -> bool:
        return kinds[i] is not None or text[i] in wrappers

    start, end = 0, len(text)
    while start < end and trimmable(start):
        start += 1
    while end > start and trimmable(end - 1):
        end -= 1

    kept: list[str] = []
    removals: list[_Removal] = []
    for i, char in enumerate(text):
        kind = kinds[i]
        if start <= i < end:
            if kind is None or (spaces_inside == "keep" and kind in _PLAIN_SPACES):
                kept.append(char)
            elif spaces_inside == "keep" and kind in _SPACES:
                removals.append(_Removal(kind, i, len(kept), "middle", as_space=True))
                kept.append(" ")
            else:
                removals.append(_Removal(kind, i, len(kept), "middle"))
            continue
        if quiet_ends and kind in _PLAIN_SPACES:
            continue
        place: Literal["start", "end"] = "start" if i < start else "end"
        wrapper = _BRACKET if char in "<>" else _QUOTE
        removals.append(_Removal(kind or wrapper, i, len(kept), place))
    value = "".join(kept)
    return Cleaned(value, _describe(removals, value, name_places))


def clean_tenant(text: str) -> Cleaned:
    """A tenant as typed or pasted; what is left is compared with the tenant Halo reports."""
    return clean(text)


def clean_address(text: str) -> Cleaned:
    """A Halo or authorisation server address, before it is read as one."""
    return clean(text, wrappers=ADDRESS_WRAPPERS)


def describe(removed: Sequence[str]) -> str:
    """The phrases of Cleaned.removed as one: "a, b and c"."""
    if not removed:
        return ""
    if len(removed) == 1:
        return removed[0]
    return ", ".join(removed[:-1]) + " and " + removed[-1]


# ----- words -----

_WORD_LIMIT = 40


def _counted(kind: str, count: int) -> str:
    one, many = messages.CHARACTER_NAMES[kind]
    return one if count == 1 else f"{count} {many}"


def _shown(word: str) -> str:
    return word if len(word) <= _WORD_LIMIT else word[: _WORD_LIMIT - 3] + "..."


def _boundary(char: str) -> bool:
    # Commas and semicolons separate scopes as spaces do.
    return char.isspace() or char in ",;"


def _word_before(value: str, offset: int) -> str:
    end = offset
    while end > 0 and _boundary(value[end - 1]):
        end -= 1
    begin = end
    while begin > 0 and not _boundary(value[begin - 1]):
        begin -= 1
    return value[begin:end]


def _word_around(value: str, offset: int) -> str:
    begin, end = offset, offset
    while begin > 0 and not _boundary(value[begin - 1]):
        begin -= 1
    while end < len(value) and not _boundary(value[end]):
        end += 1
    return value[begin:end]


def _where(removal: _Removal, value: str, name_places: bool) -> tuple[str, str]:
    """(template, word) saying where a removed character was."""
    if removal.place == "start" or not value:
        return messages.REMOVED_AT_START, ""
    if not name_places:
        if removal.place == "end":
            return messages.REMOVED_AT_END, ""
        return messages.REMOVED_INSIDE, ""
    offset = removal.offset
    inside_word = (
        removal.place == "middle"
        and not _boundary(value[offset - 1])
        and not (removal.as_space or _boundary(value[offset]))
    )
    if inside_word:
        return messages.REMOVED_WITHIN, _shown(_word_around(value, offset))
    word = _word_before(value, offset)
    return (messages.REMOVED_AFTER, _shown(word)) if word else (messages.REMOVED_AT_START, "")


def _describe(removals: list[_Removal], value: str, name_places: bool) -> tuple[str, ...]:
    """One phrase per place, in the order met in the text; quotes as one phrase ("around")."""
    # (template, word, read as a space) -> (first position in the text, count of each kind)
    places: dict[tuple[str, str, bool], tuple[int, dict[str, int]]] = {}
    wrappers = [r for r in removals if r.kind in (_QUOTE, _BRACKET)]
    for removal in removals:
        if removal.kind in (_QUOTE, _BRACKET):
            continue
        template, word = _where(removal, value, name_places)
        key = (template, word, removal.as_space)
        first, counts = places.setdefault(key, (removal.index, {}))
        counts[removal.kind] = counts.get(removal.kind, 0) + 1
    phrases: list[tuple[int, str]] = []
    for (template, word, as_space), (first, counts) in places.items():
        what = describe([_counted(kind, count) for kind, count in counts.items()])
        phrase = template.format(what=what, word=word)
        phrases.append(
            (first, messages.READ_AS_SPACE.format(phrase=phrase) if as_space else phrase)
        )
    if wrappers:
        sides = {r.place for r in wrappers}
        brackets = all(r.kind == _BRACKET for r in wrappers)
        if sides == {"start", "end"}:
            around = _shown(value) if name_places and value else messages.THE_VALUE
            template = messages.REMOVED_BRACKETS if brackets else messages.REMOVED_QUOTES
            phrase = template.format(word=around)
        else:
            template = messages.REMOVED_AT_START if "start" in sides else messages.REMOVED_AT_END
            what = _counted(_BRACKET if brackets else _QUOTE, len(wrappers))
            phrase = template.format(what=what, word="")
        phrases.append((wrappers[0].index, phrase))
    return tuple(phrase for _, phrase in sorted(phrases, key=lambda item: item[0]))
