"""The fault matrix: every fault at every step where it can happen, what the check must say,
and the table of what it did (docs/reliability.md)."""

from __future__ import annotations

import datetime
import platform
import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.faults.run import REPO, Outcome, check_command, run_measured
from tests.faults.server import (
    EVERY_REQUEST,
    FAULTS,
    SCOPES,
    Certificates,
    Fault,
    HostileHalo,
)

TIMEOUT_S = 3.0
# How long the check itself (its duration_seconds) may take beyond --timeout: one step is
# faulty, and the check either gives up on it at the deadline or stops at a 429 (one without
# Retry-After, the only kind seen from Halo, is never waited for nor tried again).
CHECK_MARGIN_S = 1.0
# How long the whole process may take beyond --timeout: starting Python and importing the
# program takes 0.5 s on this machine alone, and up to 2 s with four runs sharing two cores.
PROCESS_MARGIN_S = 5.0
PEAK_MB_LIMIT = 120.0
REPORT = REPO / "docs" / "reliability.md"
# Cases run in parallel before the first test: most of each is a process starting and
# waiting on loopback, so this machine's two cores take four at once.
WORKERS = 4
COMMAND = ".venv/bin/python -m pytest tests/faults -q"


@dataclass(frozen=True)
class Expect:
    """What the check must report for one case."""

    codes: tuple[str, ...]  # every one of these among the findings
    exit_code: int
    # Part of an error's detail, as a regular expression (the finding must say this).
    detail: str | None = None
    # Not yet: what the engine still has to do for this case (the test is an xfail).
    engine: str | None = None


@dataclass(frozen=True)
class Case:
    fault: Fault
    step: str

    @property
    def id(self) -> str:
        return f"{self.fault.key}@{self.step.replace(' ', '-')}"


WORKS = Expect(("TENANT_DETECTED", "ACTS_AS_AGENT"), 0)

# At the agent step a fault costs nothing but the agent record: the id_token's claims still
# name the agent, and everything else worked.
_AT_AGENT = WORKS

_NOT_HALO = Expect(("NOT_HALO",), 1)
_NOT_A_TOKEN = Expect(("TOKEN_MALFORMED",), 1)
_PROBE_UNEXPECTED = Expect(("UNEXPECTED_RESPONSE",), 1)
_UNREADABLE = {
    "discovery": _NOT_HALO,
    "token": _NOT_A_TOKEN,
    "probe": _PROBE_UNEXPECTED,
    "agent": _AT_AGENT,
}


def _same(code: str, detail: str | None = None) -> dict[str, Expect]:
    """The same finding at discovery, token and probe; the agent step still works."""
    expect = Expect((code,), 1, detail)
    return {"discovery": expect, "token": expect, "probe": expect, "agent": _AT_AGENT}


_DAY = r"24(\.0)? hours|86,?400 seconds|a day"

EXPECTED: dict[str, dict[str, Expect]] = {
    "deep-json": _UNREADABLE,
    "deep-json-field": _UNREADABLE,
    "truncated-json": _UNREADABLE,
    "json-string": _UNREADABLE,
    "json-list": _UNREADABLE,
    "json-null": _UNREADABLE,
    "json-number": _UNREADABLE,
    "json-dotnet-exception": _UNREADABLE,
    "html-200": _UNREADABLE,
    "content-type-wrong": dict.fromkeys(("discovery", "token", "probe", "agent"), WORKS),
    "content-type-missing": dict.fromkeys(("discovery", "token", "probe", "agent"), WORKS),
    # Over TLS a reset reads as the end of the stream, so both wordings are right.
    "reset-mid-answer": _same("CONNECTION_CUT", "reset in the middle|only part of the answer"),
    "closed-mid-answer": _same("CONNECTION_CUT", "only part of the answer"),
    "drip": _same("TIMEOUT"),
    "gzip-bomb": _UNREADABLE,
    "gzip-garbled": _same("INVALID_HTTP", "could not be decompressed"),
    **{
        f"http-{status}-{body}": _same("SERVER_ERROR", f"HTTP {status}")
        for status in (500, 502, 503, 504)
        for body in ("body", "empty")
    },
    "429-no-retry-after": dict.fromkeys(
        ("discovery", "token", "probe", "agent"),
        Expect(("RATE_LIMITED",), 1, "without saying how long to wait.*this check made"),
    ),
    "429-retry-after-a-day": dict.fromkeys(
        ("discovery", "token", "probe", "agent"), Expect(("RATE_LIMITED",), 1, _DAY)
    ),
    "429-always": {EVERY_REQUEST: Expect(("RATE_LIMITED",), 1)},
    "redirect-loop": {
        "discovery": Expect(("NOT_HALO",), 1, "redirected"),
        "token": Expect(("REDIRECTED",), 1),
        "probe": Expect(("UNEXPECTED_RESPONSE",), 1, "HTTP 302"),
        "agent": _AT_AGENT,
    },
    "redirect-elsewhere": {
        "discovery": Expect(("NOT_HALO",), 1, "redirected"),
        "token": Expect(("REDIRECTED",), 1),
        "probe": Expect(("UNEXPECTED_RESPONSE",), 1, "HTTP 302"),
        "agent": _AT_AGENT,
    },
    "garbage-status-line": _same("INVALID_HTTP", "not an HTTP status line"),
    "huge-header-line": _same("INVALID_HTTP", "longer than 64 KB"),
    "many-header-lines": _same("INVALID_HTTP", "more than 100 header lines"),
    "plain-http": dict.fromkeys(
        ("discovery", "token"), Expect(("CONNECT_FAILED",), 1, "did not speak HTTPS")
    ),
    "cert-expired": dict.fromkeys(("discovery", "token"), Expect(("TLS_UNTRUSTED",), 1, "expired")),
    "cert-not-yet-valid": dict.fromkeys(
        ("discovery", "token"), Expect(("TLS_UNTRUSTED",), 1, "not yet valid")
    ),
    "cert-wrong-name": dict.fromkeys(("discovery", "token"), Expect(("TLS_HOSTNAME_MISMATCH",), 1)),
    "cert-self-signed": dict.fromkeys(
        ("discovery", "token"), Expect(("TLS_UNTRUSTED",), 1, "self.signed")
    ),
    "cert-missing-intermediate": dict.fromkeys(
        ("discovery", "token"), Expect(("TLS_UNTRUSTED",), 1, "issuer")
    ),
    "id-token-huge": {"token": WORKS},
    "id-token-garbled": {"token": WORKS},
    "id-token-not-json": {"token": WORKS},
    "id-token-deep-json": {"token": WORKS},
    "agent-record-40mb": {"agent": WORKS},
}

CASES: tuple[Case, ...] = tuple(Case(fault, step) for fault in FAULTS for step in fault.steps)


def expected(case: Case) -> Expect:
    return EXPECTED[case.fault.key][case.step]


@dataclass(frozen=True)
class Result:
    """One case as run: the command's outcome and what reached the host a redirect named."""

    case: Case
    outcome: Outcome
    elsewhere_connections: int
    elsewhere_received: tuple[bytes, ...]
    secret: str
    tokens: frozenset[str]


def run_case(case: Case, certificates: Certificates, ca_bundle: str) -> Result:
    with HostileHalo(case.fault, case.step, certificates) as halo:
        command = check_command(halo.url, halo.client_id, ca_bundle, TIMEOUT_S, SCOPES)
        outcome = run_measured(command, halo.client_secret)
        return Result(
            case,
            outcome,
            halo.elsewhere.connections,
            tuple(halo.elsewhere.received),
            halo.client_secret,
            frozenset(halo.issued_tokens()),
        )


def problems(result: Result) -> list[str]:
    """Everything wrong with how the check handled this case; empty when all is right."""
    case, outcome = result.case, result.outcome
    want = expected(case)
    found: list[str] = []
    report = outcome.report
    if outcome.killed:
        found.append(f"still running after {outcome.seconds:.0f} s: killed")
    if "Traceback" in outcome.stderr:
        found.append("a traceback on stderr:\n" + outcome.stderr[-3000:])
    if report is None:
        found.append(f"stdout is not one JSON object: {outcome.stdout[:500]!r}")
        return found
    if outcome.exit_code != want.exit_code:
        found.append(f"exit code {outcome.exit_code}, expected {want.exit_code}")
    if report.get("ok") is not (outcome.exit_code == 0):
        found.append(f'"ok" is {report.get("ok")} with exit code {outcome.exit_code}')
    missing = [code for code in want.codes if code not in outcome.codes]
    if missing:
        found.append(f"findings {outcome.codes}, expected among them {list(want.codes)}")
    errors = [f for f in report.get("findings", []) if f.get("severity") == "error"]
    if want.detail is not None and not any(
        re.search(want.detail, f.get("detail", ""), re.I) for f in errors
    ):
        details = [f.get("detail") for f in errors]
        found.append(f"no error's detail matches {want.detail!r}: {details}")
    for finding in errors:
        if not finding.get("fix"):
            found.append(f"{finding.get('code')} has no fix")
    if want.exit_code == 0:
        identity = report.get("identity") or {}
        if identity.get("name") != "Integration API":
            found.append(f"the agent was not named: identity {identity}")
    check_s = report.get("duration_seconds", 0.0)
    if check_s > TIMEOUT_S + CHECK_MARGIN_S:
        found.append(f"the check took {check_s:.1f} s, more than {TIMEOUT_S + CHECK_MARGIN_S:g} s")
    if outcome.seconds > TIMEOUT_S + PROCESS_MARGIN_S:
        found.append(
            f"the process took {outcome.seconds:.1f} s, more than "
            f"{TIMEOUT_S + PROCESS_MARGIN_S:g} s"
        )
    if outcome.peak_mb is not None and outcome.peak_mb > PEAK_MB_LIMIT:
        found.append(f"peak memory {outcome.peak_mb:.0f} MB, more than {PEAK_MB_LIMIT:g} MB")
    if result.elsewhere_connections:
        found.append(
            f"the other host was contacted {result.elsewhere_connections} time(s): "
            f"{[r[:200] for r in result.elsewhere_received]}"
        )
    printed = outcome.stdout + outcome.stderr
    if result.secret in printed or any(token in printed for token in result.tokens):
        found.append("the client secret or the access token was printed")
    return found


@dataclass
class Collector:
    """Each case's result and test outcome in this session, for docs/reliability.md."""

    results: dict[str, Result] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)

    def complete(self) -> bool:
        """Whether every case of the matrix ran and was judged (not a -k selection)."""
        ids = {case.id for case in CASES}
        return ids <= self.results.keys() and ids <= self.outcomes.keys()

    def write(self, path: Path = REPORT) -> None:
        path.write_text(self.table(), encoding="utf-8")

    def table(self) -> str:
        rows = [
            "| fault | step | findings (errors in bold) | exit | check s | process s | peak MB "
            "| test |",
            "|---|---|---|---|---|---|---|---|",
        ]
        seconds: list[float] = []
        for case in CASES:
            result = self.results[case.id]
            outcome = result.outcome
            report = outcome.report or {}
            codes = [
                f"**{f['code']}**" if f.get("severity") == "error" else f["code"]
                for f in report.get("findings", [])
            ]
            peak = "n/a" if outcome.peak_mb is None else f"{outcome.peak_mb:.0f}"
            check_s = report.get("duration_seconds")
            shown_check = "n/a" if check_s is None else f"{check_s:.1f}"
            seconds.append(check_s or 0.0)
            rows.append(
                f"| {case.fault.title} | {case.step} | {' '.join(codes) or '(none)'} "
                f"| {outcome.exit_code} | {shown_check} | {outcome.seconds:.1f} | {peak} "
                f"| {self.outcomes[case.id]} |"
            )
        pending = [
            f"- {case.fault.title} at {case.step}: {expected(case).engine}"
            for case in CASES
            if expected(case).engine
        ]
        peaks = [r.outcome.peak_mb for r in self.results.values() if r.outcome.peak_mb]
        today = datetime.date.today().isoformat()
        head = [
            "# Reliability: the fault matrix",
            "",
            f"Generated by `{COMMAND}` (tests/faults/test_fault_matrix.py) on {today}, "
            f"{platform.system()} {platform.machine()}, Python {platform.python_version()}; "
            "do not edit by hand: every full run of the matrix rewrites this file.",
            "",
            "Each row is one real `python -m wizard check --json` process against a simulated "
            "Halo over HTTPS on loopback that is healthy except at one step, where it "
            "misbehaves as the first column says. Steps: discovery (`/api/authinfo` and "
            "`/api/instanceinfo`), token (`/auth/token`), probe (`/api/Tickets`, the probe of "
            "`read:tickets`), agent (`/api/Agent/me`). Every run has `--timeout "
            f"{TIMEOUT_S:g}`; a case passes when the findings and exit code are the expected "
            "ones, stdout is exactly one JSON object, stderr has no traceback, every error has "
            "a fix, no secret or token is printed or sent to another host, the check itself "
            f"(its `duration_seconds`) ends within {TIMEOUT_S + CHECK_MARGIN_S:g} s, the "
            f"whole process within {TIMEOUT_S + PROCESS_MARGIN_S:g} s, and the process's "
            f"peak resident memory (VmHWM, read from /proc while it runs) stays under "
            f"{PEAK_MB_LIMIT:g} MB. Process seconds are wall-clock, including Python's start, "
            f"with {WORKERS} cases running at once on this machine.",
            "",
            f"{len(CASES)} cases; longest check {max(seconds):.1f} s; highest peak "
            f"{max(peaks, default=0):.0f} MB.",
            "",
        ]
        tail = []
        if pending:
            tail = [
                "",
                "## Waiting for the engine",
                "",
                "These cases are expected failures (`xfail`, strict): they pass once the engine "
                "does this.",
                "",
                *pending,
            ]
        return "\n".join([*head, *rows, *tail]) + "\n"


COLLECTOR = Collector()
