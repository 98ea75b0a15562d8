"""Every reader of outside input, fed anything at all: what an admin pastes (addresses, scopes,
tenants, Client IDs, the secret and its bytes) and what a server answers. None raises anything
but the project's own error with a message for the admin; most never raise at all."""

from __future__ import annotations

import base64
import codecs
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from wizard.core import judges, messages
from wizard.core.address import HostAddress, HostInvalid, normalise_host, normalise_url
from wizard.core.cleaning import QUOTES, clean, clean_address, clean_tenant, describe, kind_of
from wizard.core.credentials import (
    SecretUnreadable,
    clean_client_id,
    clean_secret,
    decode_secret,
    looks_like_guid,
    looks_like_secret,
)
from wizard.core.http import Response, clock_skew
from wizard.core.idtoken import claims
from wizard.core.jsonprefix import top_level_fields
from wizard.core.scopes import (
    KNOWN_SCOPES,
    PROBES,
    is_known,
    parse_scopes,
    read_scopes,
    suggestion_for,
)

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What people paste around and inside values: every character the cleaner must take out.
INVISIBLE = (
    "\ufeff\u200b\u200c\u200d\u2060\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\u00ad\u180e\ufff9\U000e0001\x00\x01\x07\x1b\x1f\x7f\x9f"
)
ODD_SPACES = "\x85\v\f\u00a0\u2007\u202f\u2002\u2009\u3000\u1680\u2028\u2029"
PLAIN_SPACES = " \t\r\n"
invisible = st.text(alphabet=INVISIBLE, min_size=1, max_size=3)
noise = st.text(alphabet=INVISIBLE + ODD_SPACES + PLAIN_SPACES + QUOTES, max_size=4)
# Any text at all, lone surrogates (an argument or variable that was not UTF-8) included, with
# the characters that matter here drawn more often than chance would.
anything = st.text(
    st.one_of(
        st.characters(exclude_categories=()),
        st.sampled_from(INVISIBLE + ODD_SPACES + PLAIN_SPACES + QUOTES + ",;<>\udcff\ud800"),
    ),
    max_size=60,
)
DEEP = b"[" * 100_000 + b"]" * 100_000


def _sprinkle(value: str, data: st.DataObject, between: st.SearchStrategy[str]) -> str:
    """`value` with text from `between` before, after and at a few places inside."""
    cuts = sorted(data.draw(st.lists(st.integers(0, len(value)), max_size=3)))
    pieces, last = [], 0
    for cut in cuts:
        pieces += [value[last:cut], data.draw(between)]
        last = cut
    pieces.append(value[last:])
    return data.draw(noise) + "".join(pieces) + data.draw(noise)


def _is_clean(value: str, *, spaces_inside: bool) -> bool:
    for char in value:
        kind = kind_of(char)
        if kind is None or (spaces_inside and char in PLAIN_SPACES):
            continue
        return False
    return value == value.strip(PLAIN_SPACES + QUOTES)


# ----- the shared cleaner -----


@PROPERTY
@given(
    text=anything,
    spaces_inside=st.sampled_from(["keep", "remove"]),
    name_places=st.booleans(),
    quiet_ends=st.booleans(),
)
def test_cleaning_anything_leaves_only_ordinary_characters_and_is_stable(
    text: str, spaces_inside: Any, name_places: bool, quiet_ends: bool
) -> None:
    options = {"spaces_inside": spaces_inside, "name_places": name_places, "quiet_ends": quiet_ends}
    cleaned = clean(text, **options)
    assert _is_clean(cleaned.value, spaces_inside=spaces_inside == "keep")
    cleaned.value.encode("utf-8")  # always sendable to Halo and printable
    assert all(isinstance(p, str) and p for p in cleaned.removed)
    describe(cleaned.removed).encode("utf-8")
    again = clean(cleaned.value, **options)
    assert again.value == cleaned.value and again.removed == ()
    if not cleaned.removed and quiet_ends:
        assert cleaned.value == text.strip(PLAIN_SPACES)


@PROPERTY
@given(data=st.data(), word=st.from_regex(r"[a-z][a-z0-9.:-]{0,20}[a-z0-9]", fullmatch=True))
def test_invisible_characters_around_and_inside_a_value_are_all_taken_out(
    data: st.DataObject, word: str
) -> None:
    pasted = _sprinkle(word, data, invisible)
    cleaned = clean(pasted)
    assert cleaned.value == word
    assert bool(cleaned.removed) == (pasted.strip(PLAIN_SPACES) != word)


def test_what_was_removed_is_said_with_its_place() -> None:
    assert clean("read:tickets\u200b").removed == ("a zero-width space after read:tickets",)
    assert clean("\ufeffacme").removed == ("a byte-order mark at the start",)
    assert clean("ac\u00adme").removed == ("a soft hyphen inside acme",)
    assert clean("\u201cacme\u201d").removed == ("quotes around acme",)
    assert clean("<https://acme.halopsa.com>", wrappers=QUOTES + "<>").removed == (
        "angle brackets around https://acme.halopsa.com",
    )
    assert clean("a\u00a0b").value == "a b"
    assert clean("a\u00a0b").removed == ("a non-breaking space after a (read as a space)",)


# ----- the secret, as text and as bytes -----

secret_alphabet = "0123456789abcdef-"
secrets_ = st.text(alphabet=secret_alphabet, min_size=20, max_size=80)

# Every word a description of a removed character can use: nothing else can appear, so
# nothing of the secret itself can.
_VOCABULARY = {
    word
    for text in [
        *(name for pair in messages.CHARACTER_NAMES.values() for name in pair),
        messages.REMOVED_AT_START,
        messages.REMOVED_AT_END,
        messages.REMOVED_INSIDE,
        messages.REMOVED_QUOTES.format(word=messages.THE_VALUE),
        messages.REMOVED_BRACKETS.format(word=messages.THE_VALUE),
        "and",
    ]
    for word in re.sub(r"\{\w+\}|[(),.]", " ", text).split()
}


def _only_vocabulary(description: str) -> bool:
    words = re.sub(r"[(),.]", " ", description).split()
    return all(word in _VOCABULARY or word.isdigit() for word in words)


@PROPERTY
@given(data=st.data(), secret=secrets_)
def test_a_cleaned_secret_is_the_secret_and_what_was_removed_never_shows_it(
    data: st.DataObject, secret: str
) -> None:
    pasted = _sprinkle(secret, data, st.text(alphabet=INVISIBLE + ODD_SPACES + " \n", min_size=1))
    cleaned = clean_secret(pasted)
    assert cleaned.value == secret
    description = describe(cleaned.removed)
    assert _only_vocabulary(description), description
    for start in range(len(secret) - 5):
        assert secret[start : start + 6] not in description


@PROPERTY
@given(text=anything)
def test_client_id_and_secret_cleaning_never_raise_and_leave_no_space(text: str) -> None:
    for cleaned in (clean_client_id(text), clean_secret(text)):
        assert not any(c.isspace() for c in cleaned.value)
        assert _is_clean(cleaned.value, spaces_inside=False)
        looks_like_guid(cleaned.value)
        looks_like_secret(cleaned.value)
    assert _only_vocabulary(describe(clean_secret(text).removed))
    assert _only_vocabulary(describe(clean_client_id(text).removed))


@PROPERTY
@given(data=st.data(), guid=st.uuids())
def test_a_pasted_client_id_with_invisible_characters_is_the_client_id(
    data: st.DataObject, guid: Any
) -> None:
    text = str(guid)
    cleaned = clean_client_id(_sprinkle(text, data, st.text(INVISIBLE + ODD_SPACES, min_size=1)))
    assert cleaned.value == text and looks_like_guid(cleaned.value)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200))
@example(b"\xff\xfe")
@example(b"\xff\xfe\x00")
@example(b"\xfe\xff\xd8\x00")
@example(b"\xef\xbb\xbf\xc3")
@example(b"\x00")
@example(b"a\x00b\x00\x00\x00")
def test_secret_bytes_give_text_or_a_message_that_shows_none_of_them(data: bytes) -> None:
    try:
        text = decode_secret(data, "standard input")
    except SecretUnreadable as error:
        message = str(error)
        assert message.startswith("standard input held ")
        assert "cannot be read as" in message
        # Only a byte-order mark is ever spelled out, and never the bytes as text.
        marks = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        spelled = re.findall(r"0x[0-9A-F]{2}", message)
        assert not spelled or any(
            data.startswith(mark) and spelled == [f"0x{b:02X}" for b in mark] for mark in marks
        )
        return
    assert isinstance(text, str)


@PROPERTY
@given(secret=secrets_, junk=st.binary(min_size=1, max_size=4), at=st.integers(0, 80))
def test_a_stray_byte_in_a_piped_secret_is_refused_without_showing_the_secret(
    secret: str, junk: bytes, at: int
) -> None:
    raw = secret.encode()
    data = raw[:at] + b"\xff" + junk + raw[at:]
    # 0xFF 0xFE at the start is UTF-16's byte-order mark: such input is read as UTF-16 (the
    # test above), not refused as a stray byte.
    assume(not data.startswith(codecs.BOM_UTF16_LE))
    with pytest.raises(SecretUnreadable) as error:
        decode_secret(data, "standard input")
    for start in range(len(secret) - 5):
        assert secret[start : start + 6] not in str(error.value)


@PROPERTY
@given(st.text(st.characters(codec="utf-8"), max_size=60))
def test_unicode_text_piped_in_any_marked_encoding_reads_back_as_itself(text: str) -> None:
    for data in (
        codecs.BOM_UTF8 + text.encode("utf-8"),
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    ):
        assert decode_secret(data, "standard input") == text
    if "\x00" not in text and not text.startswith("\ufeff"):
        assert decode_secret(text.encode("utf-8"), "standard input") == text


@PROPERTY
@given(st.text(st.characters(min_codepoint=1, max_codepoint=255), min_size=1, max_size=60))
def test_latin_text_sent_as_utf16_without_its_mark_reads_back_as_itself(text: str) -> None:
    assert decode_secret(text.encode("utf-16-le"), "standard input") == text
    assert decode_secret(text.encode("utf-16-be"), "standard input") == text


# ----- scopes -----


@PROPERTY
@given(st.one_of(anything, st.lists(anything, max_size=4)))
def test_any_scope_text_gives_clean_scopes_without_repeats(text: Any) -> None:
    parsed = read_scopes(text)
    assert list(parsed.scopes) == parse_scopes(text)
    assert len(set(parsed.scopes)) == len(parsed.scopes)
    for scope in parsed.scopes:
        assert scope and _is_clean(scope, spaces_inside=False)
        assert not set(scope) & set(",;")
        scope.encode("utf-8")
        is_known(scope)
        assert isinstance(suggestion_for(scope), str)
    assert read_scopes(" ".join(parsed.scopes)) == type(parsed)(parsed.scopes, ())


@PROPERTY
@given(
    data=st.data(),
    chosen=st.lists(st.sampled_from(KNOWN_SCOPES), min_size=1, max_size=5, unique=True),
)
def test_known_scopes_pasted_with_odd_characters_and_any_case_are_read_in_halos_spelling(
    data: st.DataObject, chosen: list[str]
) -> None:
    separators = st.sampled_from([" ", ",", ", ", ";", "\n", "\u00a0", "\u3000", "\t"])
    parts = []
    for scope in chosen:
        typed = "".join(c.upper() if data.draw(st.booleans()) else c for c in scope)
        parts.append(typed + data.draw(st.text(INVISIBLE, max_size=2)))
    pasted = data.draw(noise) + "".join(p + data.draw(separators) for p in parts)
    parsed = read_scopes(pasted)
    assert list(parsed.scopes) == chosen
    odd = set(INVISIBLE + ODD_SPACES) | set(QUOTES)
    assert bool(parsed.removed) == any(c in odd for c in pasted)


def test_the_scope_examples_of_the_issue() -> None:
    assert read_scopes("read:tickets\u200b").removed == ("a zero-width space after read:tickets",)
    parsed = read_scopes("read:tickets\u00a0read:assets")
    assert parsed.scopes == ("read:tickets", "read:assets")


# ----- tenants -----


@PROPERTY
@given(anything)
def test_any_tenant_text_is_cleaned_to_something_sendable(text: str) -> None:
    cleaned = clean_tenant(text)
    assert _is_clean(cleaned.value, spaces_inside=True)
    cleaned.value.encode("utf-8")
    assert clean_tenant(cleaned.value).value == cleaned.value


@PROPERTY
@given(data=st.data(), tenant=st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,20}", fullmatch=True))
def test_a_pasted_tenant_with_invisible_characters_is_the_tenant(
    data: st.DataObject, tenant: str
) -> None:
    assert clean_tenant(_sprinkle(tenant, data, invisible)).value == tenant


# ----- addresses -----


@settings(max_examples=600, deadline=None)
@given(anything)
def test_any_text_gives_an_address_and_url_or_host_invalid(text: str) -> None:
    try:
        address = normalise_host(text)
        url = normalise_url(text)
    except HostInvalid as error:
        assert str(error)
        return
    assert isinstance(address, HostAddress)
    assert url.startswith(address.url)
    assert all(isinstance(note, str) and note for note in address.notes)
    address.url.encode("ascii")
    assert normalise_host(address.url).url == address.url
    assert normalise_url(url) == url


_label = st.from_regex(r"[a-z]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)


@PROPERTY
@given(data=st.data(), labels=st.lists(_label, min_size=2, max_size=4))
def test_a_host_pasted_with_invisible_characters_is_the_host(
    data: st.DataObject, labels: list[str]
) -> None:
    host = ".".join(labels)
    pasted = _sprinkle(f"https://{host}", data, invisible)
    address = normalise_host(pasted)
    assert address.url == f"https://{host}"
    if clean_address(pasted).removed:
        assert address.notes[0].startswith("Removed ")


# ----- what servers answer -----

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.sampled_from([DEEP, b'{"a": ' + DEEP + b"}", b"{" * 50_000, b'"\\ud800"', b"1" * 5000]),
)
# http.client reads header values as Latin-1: any of those 256 characters can arrive.
header_text = st.text(st.characters(max_codepoint=255), max_size=40)
headers = st.dictionaries(
    st.sampled_from(["retry-after", "date", "content-type", "location"]), header_text
)
responses = st.builds(
    Response,
    url=st.just("https://acme.halopsa.com/api/authinfo"),
    status=st.sampled_from([200, 204, 301, 400, 401, 403, 404, 429, 500, 503]),
    headers=headers,
    body=bodies,
    truncated=st.booleans(),
    elapsed=st.floats(0, 60),
)


@pytest.mark.parametrize(
    "body", [DEEP, b'{"tenant_id": ' + DEEP + b"}", b"[" * 100_000], ids=["list", "in", "open"]
)
def test_json_nested_a_hundred_thousand_levels_deep_is_not_json(body: bytes) -> None:
    assert Response("u", 200, {}, body).json() is None
    assert top_level_fields(body) == {}
    token = "h." + base64.urlsafe_b64encode(body).decode().rstrip("=") + ".s"
    assert claims(token) == {}


def test_fields_before_a_deeply_nested_one_are_still_read() -> None:
    assert top_level_fields(b'{"name": "Integration API", "deep": ' + DEEP + b"}") == {
        "name": "Integration API"
    }


@PROPERTY
@given(responses)
def test_response_readers_never_raise(response: Response) -> None:
    response.json()
    response.content_type.encode("utf-8")
    assert isinstance(response.looks_like_html, bool)
    assert isinstance(response.text_excerpt(), str)


def test_a_date_header_with_an_absurd_offset_is_no_date() -> None:
    response = Response("u", 200, {"date": "1 jan 1 1:1:1 -99999999999999999"}, b"")
    assert response.server_date is None and clock_skew(response) is None


@PROPERTY
@given(header_text)
def test_any_date_header_gives_a_date_or_none(value: str) -> None:
    response = Response("u", 200, {"date": value}, b"")
    date = response.server_date
    assert date is None or date.tzinfo is not None
    skew = clock_skew(response, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert skew is None or isinstance(skew, float)


def test_a_retry_after_of_superscript_digits_is_no_wait() -> None:
    assert judges.retry_after(Response("u", 429, {"retry-after": "\u00b2"}, b"")) is None


@PROPERTY
@given(response=responses)
def test_judges_readers_never_raise(response: Response) -> None:
    wait = judges.retry_after(response, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert wait is None or wait >= 0
    body = response.json()
    found = judges.json_object(response)
    assert isinstance(found, dict)
    judges.is_authinfo(found)
    judges.is_instanceinfo(found)
    for part in (body, *found.values()):
        text = judges.text(part)
        assert text is None or (text and text == text.strip())
        said = judges.halo_error(part)
        assert said is None or isinstance(said, str)
        judges.dotnet_message(part)
        for probe in list(PROBES.values())[:3]:
            listing = judges.read_listing(part, probe.list_key)
            # Never a negative count, nor a total below the records listed.
            assert listing is None or listing.listed >= 0
            assert listing is None or listing.total is None or listing.total >= listing.listed
    judges.denial_text(response)
    assert isinstance(judges.shape_words(response), str)
    for probe in PROBES.values():
        kind, _ = judges.probe_outcome(response, probe)
        assert kind in (
            "records",
            "denied",
            "unauthorized",
            "rate_limited",
            "server_error",
            "unexpected",
        )


@PROPERTY
@given(
    st.one_of(anything, st.none(), st.integers(), st.binary().map(lambda b: b.decode("latin-1")))
)
@example("a.b.c")
@example("a." + base64.urlsafe_b64encode(b'{"name": "x"}').decode() + ".c")
@example("a.\u00e9\u00e9.c")
def test_any_id_token_gives_its_claims_or_nothing(token: object) -> None:
    found = claims(token)
    assert isinstance(found, dict)


@PROPERTY
@given(payload=st.dictionaries(st.text(max_size=8), json_values, max_size=5))
def test_the_claims_of_a_real_jwt_are_read(payload: dict[str, Any]) -> None:
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    assert claims(f"eyJhbGciOiJub25lIn0.{encoded}.") == payload


@PROPERTY
@given(st.binary(max_size=300))
@example(b"\xef\xbb\xbf{")
@example(b'{"a": 1, "b": [')
def test_any_bytes_give_top_level_fields_or_nothing(data: bytes) -> None:
    assert isinstance(top_level_fields(data), dict)


@PROPERTY
@given(record=st.dictionaries(st.text(max_size=8), json_values, max_size=6), cut=st.integers(0))
def test_a_cut_agent_record_gives_exactly_its_complete_leading_fields(
    record: dict[str, Any], cut: int
) -> None:
    body = json.dumps(record).encode()
    found = top_level_fields(body[: cut % (len(body) + 1)])
    assert list(found) == list(record)[: len(found)]
    assert all(found[key] == record[key] for key in found)
    assert top_level_fields(body) == record


def test_a_number_cut_at_the_end_of_what_arrived_is_not_taken_whole() -> None:
    assert top_level_fields(b'{"name": "Integration API", "id": 12') == {"name": "Integration API"}


def test_text_read_from_an_answer_can_always_be_sent_and_printed() -> None:
    body = b'{"tenant_id": "acme\\ud800"}'
    for found in (Response("u", 200, {}, body).json(), top_level_fields(body)):
        assert found is None or json.dumps(found, ensure_ascii=False).encode("utf-8")
