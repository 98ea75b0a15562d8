"""The secret canary's tools: a recognisable secret, the tokens the simulator hands out, and
a search for all of them, as they are and encoded, in every file under some folders and in
any text (output, the clipboard)."""

from __future__ import annotations

import base64
import json
import os
import secrets
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

# Environment of the child processes: where the recorder writes what the simulator issued,
# and the secret it is to use.
RECORD_ENV = "HALO_CANARY_RECORD"
SECRET_ENV = "HALO_CANARY_SECRET"


def canary_secret() -> str:
    """A random secret no program could have by chance, recognisable in any dump.

    "+" and "/" make its URL-encoded forms differ from it, as a form body or a query
    string would carry it.
    """
    return f"CANARY{secrets.token_hex(6)}+{secrets.token_hex(6)}/{uuid.uuid4()}"


def _base64_cores(data: bytes) -> Iterator[str]:
    """What `data` looks like inside any base64 text, in both alphabets, padded or not.

    Encoded on its own, with and without the "=" padding. Inside a longer text (a Basic
    header encodes "client_id:secret") it starts at one of three offsets in a 3-byte group;
    for each, the characters that depend on `data` alone are a fixed string, and any base64
    text holding `data` at that offset contains it.
    """
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        whole = encode(data).decode("ascii")
        yield whole
        yield whole.rstrip("=")
        for offset in (1, 2):
            text = encode(b"\0" * offset + data).decode("ascii")
            # The first group mixes in the bytes before; the last may mix in those after.
            end = 4 * ((offset + len(data)) // 3)
            yield text[4:end]


def encoded_forms(value: str) -> dict[str, str]:
    """Every form the value could take in a file or an output, by a name for the report."""
    texts = {
        "as is": value,
        "URL-encoded": quote(value, safe=""),
        "URL-encoded (path)": quote(value),
        "URL-encoded (form)": quote_plus(value),
        "JSON-escaped": json.dumps(value)[1:-1],
    }
    forms = dict(texts)
    for name, text in texts.items():
        for number, core in enumerate(_base64_cores(text.encode("utf-8"))):
            forms[f"{name}, base64 #{number}"] = core
    return {name: form for name, form in forms.items() if len(form) >= 16}


@dataclass(frozen=True)
class Leak:
    where: str  # a file's path, or "stdout of check"...
    what: str  # "the client secret", "access token 2"...
    form: str  # "as is", "URL-encoded, base64 #3"...


@dataclass
class Canary:
    """The values that must appear nowhere, and the searches for them."""

    values: dict[str, str] = field(default_factory=dict)

    def add(self, what: str, value: str) -> None:
        assert len(value) >= 16, f"{what} is too short to search for without false alarms"
        self.values[what] = value

    def _patterns(self) -> list[tuple[str, str, bytes, bool]]:
        """(what, form, bytes, whether case matters): base64 is case-sensitive; the text
        forms are not, since encoders differ (%2b or %2B) and a secret upper-cased still
        leaks."""
        return [
            (what, form, text.encode("utf-8"), "base64" in form)
            for what, value in self.values.items()
            for form, text in encoded_forms(value).items()
        ]

    def _search(self, where: str, data: bytes) -> list[Leak]:
        folded = data.lower()
        return [
            Leak(where, what, form)
            for what, form, pattern, exact in self._patterns()
            if (pattern in data if exact else pattern.lower() in folded)
        ]

    def search_text(self, where: str, text: str) -> list[Leak]:
        return self._search(where, text.encode("utf-8", "surrogatepass"))

    def search_files(
        self, roots: Iterable[Path], *, skip: Callable[[Path], bool] = lambda path: False
    ) -> tuple[list[Leak], list[Path]]:
        """Search every file under `roots` (links not followed); also say which were read."""
        leaks: list[Leak] = []
        searched: list[Path] = []
        for path in _files(roots):
            if skip(path):
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue  # a socket or a file that went away
            searched.append(path)
            # UTF-16 as well (what Windows programs write), from an even or an odd byte.
            wide = [
                data[start:].decode("utf-16-le", "ignore").encode("utf-8", "surrogatepass")
                for start in (0, 1)
            ]
            leaks.extend(dict.fromkeys(self._search(str(path), b"\0".join([data, *wide]))))
        return leaks, searched


def _files(roots: Iterable[Path]) -> Iterator[Path]:
    seen: set[Path] = set()
    for root in roots:
        if not root.exists():
            continue
        if root.is_file():
            if root not in seen:
                seen.add(root)
                yield root
            continue
        for folder, _names, files in os.walk(root):
            for name in files:
                path = Path(folder) / name
                if path not in seen and not path.is_symlink() and path.is_file():
                    seen.add(path)
                    yield path


# ----- what the simulator hands out -----


def record_issued(
    record: Callable[[str, str], None], setattr_: Callable[[Any, str, Any], None] = setattr
) -> None:
    """Make the simulated Halo tell `record` each access token and id token it issues.

    `setattr_` is monkeypatch.setattr in a test (undone afterwards), plain setattr in a
    child process. wizard/sim itself is not changed.
    """
    from wizard.sim import halo as sim_halo
    from wizard.sim import oauth

    real_issue = oauth.TokenStore.issue
    real_id_token = sim_halo.id_token

    def issue(store: oauth.TokenStore, grant: oauth.Grant, lifetime_s: int) -> str:
        token = real_issue(store, grant, lifetime_s)
        record("access token", token)
        return token

    def id_token(*args: Any) -> str:
        token = real_id_token(*args)
        record("id token", token)
        return token

    setattr_(oauth.TokenStore, "issue", issue)
    setattr_(sim_halo, "id_token", id_token)


def read_record(path: Path) -> list[tuple[str, str]]:
    """What a child process recorded: (kind, value) pairs, one JSON list a line."""
    if not path.exists():
        return []
    return [tuple(json.loads(line)) for line in path.read_text("utf-8").splitlines() if line]


def run_cli_recording() -> None:
    """In a child process: `halo-wizard ARGS` with the simulator recording what it issues.

    Run as `python -c "from tests.canary import run_cli_recording; run_cli_recording()" demo`:
    the demo's simulator then uses the secret in HALO_CANARY_SECRET and appends every token
    it issues to the file HALO_CANARY_RECORD.
    """
    record_path = os.environ.pop(RECORD_ENV)
    secret = os.environ.pop(SECRET_ENV)

    def record(kind: str, value: str) -> None:
        with open(record_path, "a", encoding="utf-8") as file:
            file.write(json.dumps([kind, value]) + "\n")

    record_issued(record)
    from wizard.sim import halo as sim_halo

    real_init = sim_halo.SimulatedHalo.__init__

    def init(self: sim_halo.SimulatedHalo, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        self.client_secret = secret

    sim_halo.SimulatedHalo.__init__ = init  # type: ignore[method-assign]
    from wizard.cli import main

    sys.exit(main(sys.argv[1:]))
