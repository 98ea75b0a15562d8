"""`simulate --replay`: a trace recorded with `check --record` served again, so that checking
the replay finds what the recorded check found, and a support case becomes a regression test.

Every check here is the command line's main() in this process, against the simulated Halo
or a replay, both real HTTPS servers on loopback with a real certificate chain.
"""

from __future__ import annotations

import io
import json
import shlex
import signal
import uuid
from pathlib import Path
from ssl import SSLContext
from typing import Any

import pytest

from tests.canary import Canary
from tests.conftest import HaloFactory
from tests.test_simulate_cli import simulator
from wizard.cli import main
from wizard.sim.replay import ReplayedHalo, load
from wizard.sim.scenarios import DEMO_SCENARIOS

REPO = Path(__file__).resolve().parent.parent.parent
REPLAYS = REPO / "tests" / "replays"
SCOPES = "read:tickets read:customers read:assets edit:tickets"
# Short, for the situations that end at the time limit (a Halo that never answers, one
# that trickles); a check of the simulator on this computer takes a fraction of it.
TIMEOUT = "3"

# Every situation the simulator has (iterated, so that a new one is covered as it comes),
# and a request for all where the token answer says what all stands for.
ROUND_TRIPS = [(name, SCOPES) for name in DEMO_SCENARIOS] + [
    (name, "all") for name in ("healthy", "all_kept_as_all") if name in DEMO_SCENARIOS
]


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch, secret: str) -> dict[str, Any]:
    """`halo-wizard ARGV --json` in this process; the JSON it printed."""
    monkeypatch.setenv("HALO_CLIENT_SECRET", secret)
    out = io.StringIO()
    code = main([*argv, "--json"], stdin=io.StringIO(""), stdout=out)
    assert code in (0, 1), (argv, code)
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def verdict(data: dict[str, Any]) -> tuple[bool, list[str], dict[str, str]]:
    """What a replay must give again: the result, every finding's code, each scope's status."""
    codes = data["codes"] if "codes" in data else [f["code"] for f in data["findings"]]
    scopes = data["scopes"]
    if isinstance(scopes, list):
        scopes = {s["scope"]: s["status"] for s in scopes}
    return data["ok"], sorted(codes), scopes


def check_replay(
    trace: dict[str, Any],
    tls_context: SSLContext,
    ca_bundle: str,
    monkeypatch: pytest.MonkeyPatch,
    key_file: Path | None = None,
) -> tuple[dict[str, Any], ReplayedHalo]:
    """Check a replay of `trace` with the arguments it says it was recorded with."""
    with ReplayedHalo(trace, tls=tls_context, public_host="localhost") as replay:
        argv = ["check", *replay.check_arguments(), "--ca-bundle", ca_bundle]
        if replay.uses_assertion:
            assert key_file is not None
            argv += ["--private-key", str(key_file)]
        # Any secret is answered as the recorded one was; one of Halo's shape, so that no
        # finding about how it was typed is added.
        return run(argv, monkeypatch, f"{uuid.uuid4()}-{uuid.uuid4()}"), replay


def private_key(pem: str, tmp_path: Path) -> Path:
    path = tmp_path / "private-key.pem"
    path.write_text(pem, "ascii")
    path.chmod(0o600)
    return path


@pytest.mark.parametrize(
    ("scenario", "scopes"), ROUND_TRIPS, ids=[f"{n}-{s.split()[0]}" for n, s in ROUND_TRIPS]
)
def test_checking_the_replay_of_a_recorded_check_finds_what_the_check_found(
    scenario: str,
    scopes: str,
    start_halo: HaloFactory,
    tls_context: SSLContext,
    ca_bundle: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    halo = start_halo(scenario)
    trace_path = tmp_path / "trace.json"
    argv = [
        "check", "--host", halo.url, "--client-id", halo.client_id, "--scopes", scopes,
        "--ca-bundle", ca_bundle, "--timeout", TIMEOUT, "--record", str(trace_path),
    ]  # fmt: skip
    key_file = None
    if halo.uses_assertion():
        key_file = private_key(halo.assertion_private_key, tmp_path)
        argv += ["--private-key", str(key_file)]
    recorded = run(argv, monkeypatch, halo.client_secret)
    halo.stop()

    trace = load(trace_path)
    assert verdict(trace["result"]) == verdict(recorded)
    replayed, replay = check_replay(trace, tls_context, ca_bundle, monkeypatch, key_file)
    assert verdict(replayed) == verdict(recorded)
    assert replay.unmatched == []
    # Nothing that proved who asked (the secret, a signed assertion, a bearer token) is in it.
    sent = Canary()
    for request in halo.requests:
        for name in ("client_secret", "client_assertion"):
            if len(request.form.get(name, "")) >= 16:
                sent.add(f"the {name} sent", request.form[name])
        token = request.headers.get("authorization", "").partition(" ")[2]
        if len(token) >= 16:
            sent.add("a bearer token sent", token)
    assert sent.search_text("the trace", trace_path.read_text("utf-8")) == []


REPLAY_FILES = sorted(REPLAYS.glob("*.json"))


def test_the_replays_of_notable_situations_are_there() -> None:
    names = {path.stem for path in REPLAY_FILES}
    assert {"openid-names-for-all", "scopeless-token-401-403"} <= names
    assert {"rate-limited-without-retry-after", "record-counts"} <= names


@pytest.mark.parametrize("path", REPLAY_FILES, ids=[p.stem for p in REPLAY_FILES])
def test_a_recorded_situation_still_gives_its_recorded_findings(
    path: Path, tls_context: SSLContext, ca_bundle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A regression test per trace in tests/replays/ (made by `.venv/bin/python -m
    tests.replays.make`): what the check found when it was recorded, it finds again."""
    trace = load(path)
    replayed, replay = check_replay(trace, tls_context, ca_bundle, monkeypatch)
    assert verdict(replayed) == verdict(trace["result"]), path.name
    assert replay.unmatched == []


def test_a_request_the_trace_does_not_hold_is_refused_and_named(
    tls_context: SSLContext, ca_bundle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    trace = load(REPLAYS / "wrong-secret.json")
    # The recorded check never got a token, so it never asked for the agent or tickets.
    token = next(e for e in trace["exchanges"] if e["request"]["method"] == "POST")
    token["answer"] = next(
        e["answer"]
        for e in load(REPLAYS / "openid-names-for-all.json")["exchanges"]
        if e["request"]["method"] == "POST"
    )
    replayed, replay = check_replay(trace, tls_context, ca_bundle, monkeypatch)
    statuses = {s["scope"]: (s["status"], s["http_status"]) for s in replayed["scopes"]}
    assert statuses["read:tickets"] == ("error", 404)
    assert "GET /api/Tickets" in replay.unmatched and "GET /api/Agent/me" in replay.unmatched


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"not json at all", "not JSON"),
        (b'{"format": "something-else"}', "not a trace"),
        (b'{"format": "halo-wizard-trace", "version": 99, "exchanges": []}', "newer halo-wizard"),
        (b'{"format": "halo-wizard-trace", "version": 1, "exchanges": [3]}', "damaged"),
    ],
)
def test_a_file_that_is_no_trace_is_a_usage_error_that_says_why(
    content: bytes,
    said: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "trace.json"
    path.write_bytes(content)
    code = main(["simulate", "--replay", str(path)], stdout=io.StringIO())
    assert code == 2
    assert said in capsys.readouterr().err


def test_simulate_replay_prints_how_to_connect_and_that_any_secret_will_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trace_path = REPLAYS / "agent-no-permission.json"
    with simulator("--replay", str(trace_path), "--tls") as (server, text):
        printed = text.splitlines(keepends=True)
        trace = load(trace_path)
        assert f"Client ID:     {trace['check']['client_id']}" in text
        assert "Client secret: any" in text
        command = next(line for line in printed if "halo-wizard check" in line)
        words = shlex.split(command)
        assert words[0] == "HALO_CLIENT_SECRET=any-secret"
        assert words[1:3] == ["halo-wizard", "check"] and "--ca-bundle" in words
        replayed = run(words[2:], monkeypatch, "any-secret")
        assert verdict(replayed) == verdict(trace["result"])
        server.send_signal(signal.SIGINT)
        out, _ = server.communicate(timeout=30)
    assert server.returncode == 0
    assert out.strip().endswith("Stopped.")
