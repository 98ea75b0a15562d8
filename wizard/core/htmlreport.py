"""The support report: one self-contained HTML page, and a short summary for the clipboard.

`halo-wizard diagnose ... --report FILE.html` writes the page and the window's "Save
report..." saves it; "Copy summary" copies `summary_text`. Both are made from the dict of
`report_data`: the facts of one check (the verdict, what changed since the last test, every
finding with its fix, the steps, each request's HTTP status and Halo's own error text) and
of this computer (doctor's facts). The page embeds that dict as JSON, so a supporter's tool
can read it back: `<script type="application/json" id="halo-wizard-report">`.

Nothing in either may hold the client secret, a token, an Authorization header or a JWT:
the values passed as `secrets` are removed wherever they appear (as they are, URL-encoded
or JSON-escaped, in any letter case), then every text goes through `log.redact`, once when
the dict is made and again as it is written. Very long texts (a Halo error page) are
shortened, never dropped. Pure Python: no Qt, no network, nothing loaded by the page.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, quote_plus

from wizard import __version__
from wizard.core import messages
from wizard.core.connection_file import write_atomically
from wizard.core.findings import Finding, Severity, by_severity
from wizard.core.log import MASK, MIN_SECRET_LENGTH, redact
from wizard.core.model import CheckReport, ScopeResult, ScopeStatus
from wizard.core.textreport import result_sentence

FORMAT_NAME = "halo-wizard-report"
FORMAT_VERSION = 1
JSON_ELEMENT_ID = "halo-wizard-report"

# Any one text longer than this is cut, and says how much was left out.
MAX_TEXT = 1200
SHORTENED = " \u2026 [{count} more characters not shown]"

# Headings of the page, also what the tests look for.
HEADING_RESULT = "Result"
HEADING_CHANGES = "What changed since the last test"
HEADING_FINDINGS = "Problems and how to fix them"
HEADING_STEPS = "Steps"
HEADING_REQUESTS = "Requests to Halo"
HEADING_COMPUTER = "This computer"

NEVER_TESTED = (
    "Never tested before: no earlier test of this connection is recorded, so there is "
    "nothing to compare with."
)
NOTHING_CHANGED = "Nothing changed since the last test ({when})."
CHANGED_SINCE = "Since the last test ({when}):"
CHANGED_SINCE_UNKNOWN = "Since the last test:"
NOT_RECORDED = "(not recorded)"
# How to give support Halo's answers themselves (docs/trace.md).
TRACE_COMMAND = "halo-wizard diagnose ... --record trace.json"
TRACE_NOTE = (
    "To show support exactly what Halo answered, run {command} and attach the file; it "
    "holds no secret, token or record content."
)
REDACTION_NOTE = (
    "This report never holds the client secret, a token or an Authorization header: "
    f"wherever one appeared it is replaced by {MASK}."
)

SEVERITY_WORDS = {"error": "Problem", "warning": "Warning", "info": "Note"}
VERDICT_WORDS = {"ok": "Works", "warning": "Works, with warnings", "error": "Not working yet"}
# The banner's word for problems now in a connection whose last test worked: not "yet".
VERDICT_STOPPED = "Stopped working"
OUTCOME_WORDS = {
    "ok": "OK",
    "warning": "Warning",
    "failed": "Failed",
    "skipped": "Skipped",
    "running": "Not finished",
}
# The words before and after Halo's text at the end of a finding's detail.
_SAID_BEFORE, _, _SAID_AFTER = messages.HALO_SAID.partition("{text}")


# ----- the facts -----


def report_data(
    check: Mapping[str, Any],
    *,
    doctor: Mapping[str, Any],
    changes: Sequence[Mapping[str, Any]] | None = None,
    last_tested_at: str | None = None,
    source: str | None = None,
    generated_at: str | None = None,
    secrets: Sequence[str] = (),
    extra_warnings: Sequence[str] = (),
) -> dict[str, Any]:
    """The JSON-ready facts the page and the summary show, redacted and shortened.

    `check` is CheckReport.to_dict() of the run reported; `doctor` is doctor.collect();
    `changes` are {"what", "before", "now"} since the test recorded at `last_tested_at`
    (None: not compared); `source` says what was diagnosed ("profile acme"); `secrets` are
    values that must appear nowhere; `extra_warnings` are titles of warnings the caller
    found besides the check's own (as for textreport.result_sentence).
    """
    kind, sentence = result_sentence(_report_for_verdict(check), extra_warnings)
    findings = [
        _finding(item)
        for item in _ordered_findings(check.get("findings") or [])
        if isinstance(item, Mapping)
    ]
    data: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "program": {"name": "halo-wizard", "version": __version__},
        "generated_at": generated_at or datetime.now(UTC).isoformat(timespec="seconds"),
        "source": source,
        # Where the secret the test used came from (the JSON's secret_from), never the secret.
        "secret_from": check.get("secret_from"),
        "verdict": {"kind": kind, "sentence": sentence},
        "connection": {
            key: check.get(key)
            for key in (
                "host",
                "product",
                "version",
                "tenant",
                "auth_url",
                "token_url",
                "client_id",
                "identity",
                "requested_scopes",
                "granted_scopes",
                "address_notes",
            )
        },
        "test": {
            "ok": check.get("ok"),
            "started_at": check.get("started_at"),
            "duration_seconds": check.get("duration_seconds"),
        },
        "last_tested_at": last_tested_at,
        # The recorded last test's result (null: none recorded, or not compared).
        "worked_at_last_test": _worked_at_last_test(check, changes, last_tested_at),
        "changes": None if changes is None else [_change(item) for item in changes],
        "findings": findings,
        "steps": [
            {key: step.get(key) for key in ("key", "label", "status", "summary", "seconds")}
            for step in check.get("steps") or []
            if isinstance(step, Mapping)
        ],
        "scopes": [dict(item) for item in check.get("scopes") or [] if isinstance(item, Mapping)],
        "exchanges": [
            {
                key: exchange.get(key)
                for key in ("method", "url", "status", "seconds", "halo_said", "error", "reason")
            }
            for exchange in check.get("exchanges") or []
            if isinstance(exchange, Mapping)
        ],
        "computer": dict(doctor),
    }
    remove = _secret_remover(secrets)
    # Redacted before it is shortened, so a cut never leaves half a secret behind.
    cleaned: dict[str, Any] = _cleaned(data, lambda text: _shortened(redact(remove(text))))
    return cleaned


@dataclass(frozen=True)
class _WordedFinding(Finding):
    """A finding read back from a report's dict: its title is the one the dict holds."""

    words: str = ""

    @property
    def title(self) -> str:
        return self.words


def _severity(value: object) -> Severity:
    try:
        return Severity(str(value))
    except ValueError:
        return Severity.INFO


def _ordered_findings(items: Sequence[Any]) -> list[Mapping[str, Any]]:
    """Errors first, then warnings, then notes, in the order found within each."""
    ranked = [item for item in items if isinstance(item, Mapping)]
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(ranked, key=lambda item: order[_severity(item.get("severity"))])


def _report_for_verdict(check: Mapping[str, Any]) -> CheckReport:
    """Just enough of a CheckReport for result_sentence: the findings and the scopes."""
    findings: list[Finding] = [
        _WordedFinding(
            code=str(item.get("code") or ""),
            severity=_severity(item.get("severity")),
            scope=item.get("scope"),
            words=str(item.get("title") or item.get("code") or ""),
        )
        for item in check.get("findings") or []
        if isinstance(item, Mapping)
    ]
    scopes: list[ScopeResult] = []
    for item in check.get("scopes") or []:
        if not isinstance(item, Mapping):
            continue
        try:
            status = ScopeStatus(str(item.get("status")))
        except ValueError:
            continue
        scopes.append(ScopeResult(str(item.get("scope") or ""), status))
    return CheckReport(findings=list(by_severity(findings)), scopes=scopes)


def _finding(item: Mapping[str, Any]) -> dict[str, Any]:
    detail = str(item.get("detail") or "")
    said = item.get("halo_said")
    # Finding.to_dict() words Halo's text into the end of the detail: shown apart here.
    marker = f" {_SAID_BEFORE}"
    at = detail.find(marker)
    if at >= 0 and detail.endswith(_SAID_AFTER):
        quoted = detail[at + len(marker) : len(detail) - len(_SAID_AFTER)]
        said = said or quoted
        detail = detail[:at]
    return {
        "code": item.get("code"),
        "severity": str(_severity(item.get("severity"))),
        "title": item.get("title"),
        "detail": detail,
        "halo_said": said or None,
        "fix": [str(step) for step in item.get("fix") or []],
        "link": item.get("link"),
        "scope": item.get("scope"),
    }


def _worked_at_last_test(
    check: Mapping[str, Any], changes: Sequence[Mapping[str, Any]] | None, last: str | None
) -> bool | None:
    if changes is None:
        return None
    for change in changes:
        if change.get("kind") == "result" and isinstance(change.get("before_value"), bool):
            return bool(change["before_value"])
    # The result did not change: it was what it is now, when a last test was recorded.
    return bool(check.get("ok")) if last else None


def _change(item: Mapping[str, Any]) -> dict[str, Any]:
    def text(value: object) -> str | None:
        return None if value is None else str(value)

    return {
        "what": str(item.get("what") or ""),
        "before": text(item.get("before")),
        "now": text(item.get("now")),
    }


def _secret_remover(secrets: Sequence[str]) -> Callable[[str], str]:
    """A function that masks each of `secrets` in a text, in the forms it travels in."""
    forms: set[str] = set()
    for value in secrets:
        value = (value or "").strip()
        if len(value) < MIN_SECRET_LENGTH:
            continue
        forms.update(
            {
                value,
                quote(value, safe=""),
                quote(value),
                quote_plus(value),
                json.dumps(value)[1:-1],
                repr(value)[1:-1],
                html.escape(value),
            }
        )
    if not forms:
        return lambda text: text
    # Longest first, so a secret that contains another goes whole; %2b and %2B alike.
    pattern = re.compile(
        "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)), re.IGNORECASE
    )
    return lambda text: pattern.sub(MASK, text)


def _shortened(text: str) -> str:
    if len(text) <= MAX_TEXT:
        return text
    return text[:MAX_TEXT] + SHORTENED.format(count=len(text) - MAX_TEXT)


def _cleaned(value: Any, clean: Callable[[str], str]) -> Any:
    """`value` with every text, keys too, passed through `clean`; JSON types only."""
    if isinstance(value, str):
        return clean(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping):
        return {clean(str(key)): _cleaned(item, clean) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_cleaned(item, clean) for item in value]
    return clean(str(value))


# ----- small words -----


def when_text(moment: str | None) -> str:
    """An ISO time as "2026-03-04 09:15:00 UTC" (its own offset when not UTC)."""
    if not moment:
        return "unknown"
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return moment
    shown = parsed.strftime("%Y-%m-%d %H:%M:%S")
    offset = parsed.utcoffset()
    if offset is None:
        return shown
    if not offset:
        return f"{shown} UTC"
    return f"{shown} UTC{parsed.isoformat()[19:].lstrip('.0123456789')}"


def _seconds_text(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.3f}"
    return ""


def answer_text(exchange: Mapping[str, Any]) -> str:
    """Halo's answer to one request: "401 Unauthorized", or the network failure."""
    status = exchange.get("status")
    if isinstance(status, int) and not isinstance(status, bool):
        try:
            return f"{status} {HTTPStatus(status).phrase}"
        except ValueError:
            return str(status)
    reason = exchange.get("reason")
    error = exchange.get("error")
    if reason or error:
        said = str(reason or "no answer")
        return f"No answer: {said} ({error})" if error else f"No answer: {said}"
    return "No answer recorded"


def _change_sentence(change: Mapping[str, Any]) -> str:
    before = change.get("before") or "none"
    now = change.get("now") or "none"
    return f"{change.get('what')}: {before} \u2192 {now}"


def _identity_text(identity: object) -> str | None:
    if not isinstance(identity, Mapping):
        return None
    if identity.get("kind") == "agent":
        words = f"the agent {identity.get('name') or '(no name)'}"
        if identity.get("id") is not None:
            words += f" (id {identity.get('id')})"
        if identity.get("api_only") is not None:
            words += ", API-only" if identity.get("api_only") else ", not API-only"
        return words
    return "the application itself"


def _listed(value: object) -> str | None:
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value) or "none"
    return None


def _yes(value: object) -> str:
    return "yes" if value else "no"


# ----- the page -----

_CSS = """
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
  --ok: #1a7f37; --ok-bg: #dafbe1; --warning: #8a5a00; --warning-bg: #fff8c5;
  --error: #cf222e; --error-bg: #ffebe9; --info: #0969da; --info-bg: #ddf4ff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23;
    --ok: #3fb950; --ok-bg: #12261e; --warning: #d29922; --warning-bg: #272115;
    --error: #f85149; --error-bg: #2d1619; --info: #58a6ff; --info-bg: #121d2f;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0 auto; padding: 1.5rem 1.25rem 3rem; max-width: 60rem;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
  background: var(--bg); color: var(--fg);
}
h1 { font-size: 1.5rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
p { margin: .4rem 0; }
.kicker, .meta, .muted, .code { color: var(--muted); }
.kicker { margin: 0; font-size: .85rem; text-transform: uppercase; letter-spacing: .04em; }
.meta { font-size: .9rem; }
code, .mono, td.address {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: .88em;
}
.verdict {
  margin: 1rem 0; padding: .8rem 1rem; border-radius: 6px; border-left: 6px solid;
  font-size: 1.05rem;
}
.verdict .word { display: block; font-weight: 700; }
.ok { --tone: var(--ok); --tone-bg: var(--ok-bg); }
.warning { --tone: var(--warning); --tone-bg: var(--warning-bg); }
.error, .failed { --tone: var(--error); --tone-bg: var(--error-bg); }
.info { --tone: var(--info); --tone-bg: var(--info-bg); }
.skipped, .running { --tone: var(--muted); --tone-bg: var(--panel); }
.verdict, .badge { border-color: var(--tone); background: var(--tone-bg); }
.badge {
  display: inline-block; padding: 0 .45em; border: 1px solid; border-radius: 4px;
  color: var(--tone); font-weight: 700; font-size: .85em; white-space: nowrap;
}
.finding {
  margin: .9rem 0; padding: .6rem 1rem .7rem; border: 1px solid var(--line);
  border-left: 6px solid var(--tone); border-radius: 6px;
}
.finding h3 { margin-top: .2rem; }
.said {
  margin: .5rem 0; padding: .4rem .8rem; border-left: 3px solid var(--line);
  background: var(--panel); white-space: pre-wrap; overflow-wrap: anywhere;
}
.label { font-weight: 600; margin-top: .6rem; }
ol, ul { margin: .3rem 0; padding-left: 1.6rem; }
li { margin: .15rem 0; }
table {
  width: 100%; border-collapse: collapse; table-layout: fixed; margin: .4rem 0 1rem;
  font-size: .9rem;
}
th, td {
  padding: .3rem .45rem; border: 1px solid var(--line); text-align: left;
  vertical-align: top; overflow-wrap: anywhere; word-break: break-word;
}
thead th { background: var(--panel); }
table.facts th { width: 13rem; background: var(--panel); font-weight: 600; }
thead th { overflow-wrap: normal; word-break: normal; }
col.number { width: 2.6rem; } col.method { width: 5.4rem; } col.seconds { width: 5.6rem; }
col.answer { width: 18%; } col.address { width: 32%; }
col.step { width: 30%; } col.outcome { width: 7.5rem; }
td.seconds { text-align: right; font-variant-numeric: tabular-nums; }
footer { margin-top: 2.5rem; font-size: .85rem; color: var(--muted); }
@page { margin: 14mm 12mm; }
@media print {
  :root {
    color-scheme: light;
    --bg: #ffffff; --fg: #000000; --muted: #3d3d3d; --line: #9a9a9a; --panel: #f0f0f0;
    --ok: #14632b; --ok-bg: #ffffff; --warning: #6b4600; --warning-bg: #ffffff;
    --error: #a40e26; --error-bg: #ffffff; --info: #0b4f9c; --info-bg: #ffffff;
  }
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  h2, h3, .intro { break-after: avoid; page-break-after: avoid; }
  p, li { orphans: 3; widows: 3; }
  .verdict, .finding, tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 8.5pt; }
  .verdict, .badge, .finding { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(value: object) -> str:
    """A text for the page: redacted once more, then HTML-escaped (quotes too)."""
    return html.escape(redact("" if value is None else str(value)), quote=True)


def _address(value: object) -> str:
    """An address for the page, with a break allowed after each "/", "?" and "&"."""
    return re.sub(r"((?<!/)/(?!/)|\?|&amp;)", r"\1<wbr>", _e(value))


def _facts_table(rows: Sequence[tuple[str, object]], css: str = "facts") -> list[str]:
    shown = [(name, value) for name, value in rows if value not in (None, "", [], {})]
    if not shown:
        return []
    out = [f'<table class="{css}"><tbody>']
    for name, value in shown:
        if isinstance(value, list):
            items = "".join(f"<li>{_e(item)}</li>" for item in value)
            cell = f"<ul>{items}</ul>"
        else:
            cell = _e(value)
        out.append(f'<tr><th scope="row">{_e(name)}</th><td>{cell}</td></tr>')
    out.append("</tbody></table>")
    return out


def render_html(data: Mapping[str, Any]) -> str:
    """The report as ONE self-contained HTML page: inline CSS, nothing loaded, no script run."""
    connection: Mapping[str, Any] = data.get("connection") or {}
    host = connection.get("host")
    title = f"Halo connection report: {host}" if host else "Halo connection report"
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        f'<meta name="generator" content="halo-wizard {_e(_program_version(data))}">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        '<p class="kicker">Halo connection wizard &middot; support report</p>',
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_meta_line(data)}</p>',
        "</header>",
    ]
    parts += _result_section(data)
    parts += _changes_section(data)
    parts += _findings_section(data)
    parts += _steps_section(data)
    parts += _computer_section(data)
    parts += [
        "<footer>",
        f"<p>{_meta_line(data)}</p>",
        f"<p>{_e(REDACTION_NOTE)} The same facts are in this file as JSON, in the element "
        f"with the id {JSON_ELEMENT_ID}.</p>",
        "</footer>",
        f'<script type="application/json" id="{JSON_ELEMENT_ID}">{embedded_json(data)}</script>',
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def embedded_json(data: Mapping[str, Any]) -> str:
    """The facts as JSON that cannot end the script element it is in, redacted once more."""
    text = json.dumps(_cleaned(data, redact), ensure_ascii=False, indent=1)
    for character, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(character, escaped)
    return text


def _program_version(data: Mapping[str, Any]) -> str:
    program = data.get("program") or {}
    return str(program.get("version") or __version__)


_SECRET_FROM_WORDS = {
    "stdin": "the one sent on standard input",
    "environment": "the one in HALO_CLIENT_SECRET",
    "keychain": "the connection's own, in this computer's keychain",
    "connection file": "the one kept in the connection file",
    "prompt": "the one typed at the prompt",
    "typed": "the one typed in the window",
    "none": "none (the connection signs with a private key)",
}


def _meta_line(data: Mapping[str, Any]) -> str:
    test = data.get("test") or {}
    pieces = []
    if data.get("source"):
        pieces.append(f"What was diagnosed: {_e(data['source'])}")
    if data.get("secret_from"):
        pieces.append(f"Secret used: {_e(_SECRET_FROM_WORDS.get(data['secret_from'], ''))}")
    if test.get("started_at"):
        took = _seconds_text(test.get("duration_seconds"))
        tested = f"Tested: {_e(when_text(test['started_at']))}"
        pieces.append(f"{tested} (took {_e(took)} s)" if took else tested)
    pieces.append(f"Report made: {_e(when_text(data.get('generated_at')))}")
    pieces.append(f"halo-wizard {_e(_program_version(data))}")
    return " &middot; ".join(pieces)


def _verdict_word(tone: str, data: Mapping[str, Any]) -> str:
    if tone == "error" and data.get("worked_at_last_test") is True:
        return VERDICT_STOPPED
    return VERDICT_WORDS[tone]


def _result_section(data: Mapping[str, Any]) -> list[str]:
    verdict = data.get("verdict") or {}
    kind = str(verdict.get("kind") or "error")
    tone = kind if kind in VERDICT_WORDS else "error"
    connection: Mapping[str, Any] = data.get("connection") or {}
    product = " ".join(
        str(part) for part in (connection.get("product"), connection.get("version")) if part
    )
    tenant = connection.get("tenant")
    if not tenant and connection.get("product"):
        tenant = "none (on-premise)"
    out = [
        '<section id="result">',
        f"<h2>{_e(HEADING_RESULT)}</h2>",
        f'<p class="verdict {tone}"><span class="word">{_e(_verdict_word(tone, data))}</span>'
        f"{_e(verdict.get('sentence'))}</p>",
    ]
    out += _facts_table(
        [
            ("Halo address", connection.get("host")),
            ("Product", product),
            ("Tenant", tenant),
            ("Authorisation server", connection.get("auth_url")),
            ("Token URL", connection.get("token_url")),
            ("Client ID", connection.get("client_id")),
            ("Acts as", _identity_text(connection.get("identity"))),
            ("Scopes asked for", _listed(connection.get("requested_scopes"))),
            ("Scopes in the token", _listed(connection.get("granted_scopes"))),
            ("About the address", list(connection.get("address_notes") or [])),
        ]
    )
    out.append("</section>")
    return out


def _changes_section(data: Mapping[str, Any]) -> list[str]:
    changes = data.get("changes")
    last = data.get("last_tested_at")
    if changes:
        since = CHANGED_SINCE.format(when=when_text(last)) if last else CHANGED_SINCE_UNKNOWN
        body = [
            f"<p>{_e(since)}</p>",
            "<table><thead><tr><th>What</th><th>At the last test</th><th>Now</th></tr>"
            "</thead><tbody>",
            *(
                f"<tr><td>{_e(c.get('what'))}</td><td>{_e(c.get('before') or 'none')}</td>"
                f"<td>{_e(c.get('now') or 'none')}</td></tr>"
                for c in changes
            ),
            "</tbody></table>",
        ]
    elif not last:
        body = [f"<p>{_e(NEVER_TESTED)}</p>"]
    elif changes is None:
        return []
    else:
        body = [f"<p>{_e(NOTHING_CHANGED.format(when=when_text(last)))}</p>"]
    return ['<section id="changes">', f"<h2>{_e(HEADING_CHANGES)}</h2>", *body, "</section>"]


def _findings_section(data: Mapping[str, Any]) -> list[str]:
    findings = data.get("findings") or []
    out = ['<section id="findings">', f"<h2>{_e(HEADING_FINDINGS)}</h2>"]
    if not findings:
        out.append("<p>Nothing to fix: the test found no problem and no warning.</p>")
    for number, finding in enumerate(findings, 1):
        severity = str(finding.get("severity") or "info")
        tone = severity if severity in SEVERITY_WORDS else "info"
        code = _e(finding.get("code"))
        if finding.get("scope"):
            code += f" &middot; {_e(finding['scope'])}"
        out += [
            f'<article class="finding {tone}">',
            f'<h3>{number}. <span class="badge">{_e(SEVERITY_WORDS[tone])}</span> '
            f"{_e(finding.get('title'))}</h3>",
            f'<p class="code"><code>{code}</code></p>',
        ]
        if finding.get("detail"):
            out.append(f"<p>{_e(finding['detail'])}</p>")
        if finding.get("halo_said"):
            out += [
                '<p class="label">Halo\'s own words:</p>',
                f'<p class="said">{_e(finding["halo_said"])}</p>',
            ]
        fix = finding.get("fix") or []
        if fix:
            steps = messages.NOTE_STEPS_HEADING if tone == "info" else messages.FIX_HEADING
            out.append(f'<p class="label">{_e(steps)}</p>')
            out.append("<ol>" + "".join(f"<li>{_e(step)}</li>" for step in fix) + "</ol>")
        if finding.get("link"):
            out.append(
                f"<p>The page in Halo (type or paste it): <code>{_e(finding['link'])}</code></p>"
            )
        out.append("</article>")
    out.append("</section>")
    return out


def _steps_section(data: Mapping[str, Any]) -> list[str]:
    test = data.get("test") or {}
    out = ['<section id="steps">', f"<h2>{_e(HEADING_STEPS)}</h2>"]
    if test.get("started_at"):
        took = _seconds_text(test.get("duration_seconds"))
        sentence = f"The test started at {when_text(test['started_at'])}"
        out.append(f"<p>{_e(sentence + (f' and took {took} seconds.' if took else '.'))}</p>")
    steps = data.get("steps") or []
    if steps:
        out += [
            '<table class="steps"><colgroup><col class="step"><col class="outcome"><col>'
            '<col class="seconds"></colgroup>',
            "<thead><tr><th>Step</th><th>Outcome</th><th>What it found</th><th>Seconds</th>"
            "</tr></thead><tbody>",
        ]
        for step in steps:
            status = str(step.get("status") or "")
            tone = status if status in OUTCOME_WORDS else "skipped"
            out.append(
                f"<tr><td>{_e(step.get('label'))}</td>"
                f'<td><span class="badge {tone}">{_e(OUTCOME_WORDS[tone])}</span></td>'
                f"<td>{_e(step.get('summary'))}</td>"
                f'<td class="seconds">{_e(_seconds_text(step.get("seconds")))}</td></tr>'
            )
        out.append("</tbody></table>")
    else:
        out.append("<p>No step was run.</p>")
    out.append(f"<h3>{_e(HEADING_REQUESTS)}</h3>")
    exchanges = data.get("exchanges") or []
    if not exchanges:
        out.append("<p>No request was sent to Halo.</p>")
    else:
        out += [
            '<p class="muted intro">Every request the test sent, in the order sent. Only Halo\'s '
            "error text is kept: never the body of a success, a header or a token.</p>",
            '<table class="requests"><colgroup><col class="number"><col class="method">'
            '<col class="address"><col class="answer"><col class="seconds"><col></colgroup>',
            "<thead><tr><th>#</th><th>Method</th><th>Address</th><th>Answer</th>"
            "<th>Seconds</th><th>Halo's error text</th></tr></thead><tbody>",
        ]
        for number, exchange in enumerate(exchanges, 1):
            status = exchange.get("status")
            failed = not isinstance(status, int) or status >= 400
            tone = "error" if failed else "ok"
            out.append(
                f"<tr><td>{number}</td><td>{_e(exchange.get('method'))}</td>"
                f'<td class="address">{_address(exchange.get("url") or NOT_RECORDED)}</td>'
                f'<td><span class="badge {tone}">{_e(answer_text(exchange))}</span></td>'
                f'<td class="seconds">{_e(_seconds_text(exchange.get("seconds")))}</td>'
                f"<td>{_e(exchange.get('halo_said') or '')}</td></tr>"
            )
        out.append("</tbody></table>")
    command = f"<code>{_e(TRACE_COMMAND)}</code>"
    out.append(f'<p class="muted">{_e(TRACE_NOTE).format(command=command)}</p>')
    out.append("</section>")
    return out


def _computer_section(data: Mapping[str, Any]) -> list[str]:
    facts: Mapping[str, Any] = data.get("computer") or {}
    keychain: Mapping[str, Any] = facts.get("keychain") or {}
    certificates: Mapping[str, Any] = facts.get("certificates") or {}
    proxies: Mapping[str, Any] = facts.get("proxies") or {}
    automatic: Mapping[str, Any] = proxies.get("automatic") or {}
    log: Mapping[str, Any] = facts.get("log") or {}
    used: Mapping[str, Any] = proxies.get("used") or {}
    if facts.get("qt"):
        qt = f"{facts['qt']} (PySide6 {facts.get('pyside6')})"
    else:
        qt = facts.get("qt_error") or "not known"
    frozen = facts.get("frozen")
    out = [
        '<section id="computer">',
        f"<h2>{_e(HEADING_COMPUTER)}</h2>",
        '<p class="muted">As halo-wizard doctor reads them on this computer (nothing is sent '
        "anywhere to learn them).</p>",
        "<h3>Program</h3>",
    ]
    out += _facts_table(
        [
            ("halo-wizard", facts.get("version")),
            ("Frozen (packaged app)", None if frozen is None else _yes(frozen)),
            ("Executable", facts.get("executable")),
            (
                "Python",
                " ".join(
                    str(part)
                    for part in (
                        facts.get("python"),
                        f"({facts['python_implementation']})"
                        if facts.get("python_implementation")
                        else None,
                    )
                    if part
                ),
            ),
            ("Qt", qt),
            ("Operating system", facts.get("os")),
        ]
    )
    out.append("<h3>Keychain</h3>")
    out += _facts_table(
        [
            ("Keychain", keychain.get("name")),
            ("Usable", None if not keychain else _yes(keychain.get("available"))),
            ("Backend", keychain.get("backend")),
            ("Why not", keychain.get("reason")),
            *_round_trip(facts.get("keychain_round_trip")),
        ]
    )
    out.append("<h3>Certificates</h3>")
    environment: Mapping[str, Any] = certificates.get("environment") or {}
    out += _facts_table(
        [
            ("CA certificates", certificates.get("system_ca_count")),
            ("Trusted from", list(certificates.get("sources") or [])),
            (
                "Native verifier",
                None
                if "native_verifier" not in certificates
                else _yes(certificates.get("native_verifier")),
            ),
            ("OpenSSL", certificates.get("openssl")),
            ("Fallback CA file", certificates.get("fallback_file")),
            *(
                (
                    str(name),
                    f"{entry.get('value')} ("
                    f"{'used' if entry.get('honoured') else 'ignored'}"
                    f"{'' if entry.get('exists') else ', does not exist'})",
                )
                for name, entry in environment.items()
                if isinstance(entry, Mapping)
            ),
            ("Notes", list(certificates.get("notes") or [])),
        ]
    )
    out.append("<h3>Proxies</h3>")
    proxy_environment: Mapping[str, Any] = proxies.get("environment") or {}
    out += _facts_table(
        [
            *((str(name), value) for name, value in proxy_environment.items()),
            ("https:// goes via", used.get("https") or ("no proxy" if proxies else None)),
            ("http:// goes via", used.get("http") or ("no proxy" if proxies else None)),
            ("Bypassed for", proxies.get("bypass")),
            ("PAC file (not evaluated)", automatic.get("pac_url")),
            (
                "Automatic detection",
                None if "auto_detect" not in automatic else _yes(automatic.get("auto_detect")),
            ),
            ("Could not be read", proxies.get("error")),
            ("Notes", list(proxies.get("notes") or [])),
        ]
    )
    out.append("<h3>Log</h3>")
    out += _facts_table(
        [
            ("Log file", facts.get("log_file")),
            (
                "Log written",
                None
                if not log
                else _yes(log.get("writing")) + (" (debug)" if log.get("debug") else ""),
            ),
            ("Why not", log.get("reason")),
        ]
    )
    out.append("</section>")
    return out


def _round_trip(trip: object) -> list[tuple[str, object]]:
    if not isinstance(trip, Mapping):
        return []
    result = ("works: " if trip.get("ok") else "FAILED: ") + str(trip.get("detail") or "")
    return [("Keychain test", result)]


# ----- the summary for the clipboard -----


def summary_text(data: Mapping[str, Any]) -> str:
    """A few plain lines: what, when, the verdict, each problem with its first step, changes."""
    connection: Mapping[str, Any] = data.get("connection") or {}
    test: Mapping[str, Any] = data.get("test") or {}
    verdict: Mapping[str, Any] = data.get("verdict") or {}
    host = connection.get("host")
    what = data.get("source") or host or "a Halo connection"
    head = f"Halo connection report: {what}"
    if data.get("source") and host:
        head += f" ({host})"
    lines = [head]
    made = f"report made {when_text(data.get('generated_at'))}"
    if test.get("started_at"):
        lines.append(f"Tested {when_text(test['started_at'])}; {made}.")
    else:
        lines.append(f"{made[:1].upper()}{made[1:]}.")
    lines.append(f"Result: {verdict.get('sentence') or ''}")
    for finding in data.get("findings") or []:
        severity = str(finding.get("severity") or "")
        if severity not in ("error", "warning"):
            continue
        lines.append(f"- {SEVERITY_WORDS[severity]}: {finding.get('title')}")
        fix = finding.get("fix") or []
        if fix:
            lines.append(f"  First step: {fix[0]}")
    changes = data.get("changes")
    last = data.get("last_tested_at")
    if changes:
        lines.append(CHANGED_SINCE.format(when=when_text(last)) if last else CHANGED_SINCE_UNKNOWN)
        lines.extend(f"- {_change_sentence(change)}" for change in changes)
    elif not last:
        lines.append(NEVER_TESTED)
    elif changes is not None:
        lines.append(NOTHING_CHANGED.format(when=when_text(last)))
    lines.append(f"halo-wizard {_program_version(data)}")
    return "\n".join(redact(line) for line in lines) + "\n"


# ----- the file -----


def write_report(path: str | os.PathLike[str], data: Mapping[str, Any]) -> None:
    """Write the page to `path` at once, UTF-8; ExportError says why it could not be."""
    write_atomically(path, render_html(data).encode("utf-8"))
