"""The support report: one self-contained HTML page and a clipboard summary, never a secret."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from tests.canary import Canary, canary_secret, record_issued
from tests.conftest import HaloFactory, check
from wizard import __version__
from wizard.core import doctor, htmlreport
from wizard.core.findings import make
from wizard.core.model import CheckReport, Exchange, ScopeResult, ScopeStatus, Step, StepStatus
from wizard.core.textreport import result_sentence

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
)
JWT = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiJwbGFudGVkIiwiYXVkIjoiaGFsbyJ9.c2lnbmF0dXJlLXBsYW50ZWQ"
)


class Page(HTMLParser):
    """Reads a page strictly: every element closed in order, headings and the JSON collected."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.headings: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.script_text: dict[str, str] = {}
        self.attributes: list[tuple[str, str, str | None]] = []
        self._heading: list[str] | None = None
        self._script_id: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.extend((tag, name, value) for name, value in attrs)
        if tag == "script":
            self.scripts.append(dict(attrs))
            self._script_id = dict(attrs).get("id") or ""
            self.script_text[self._script_id] = ""
        if tag in ("h1", "h2", "h3"):
            self._heading = []
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.extend((tag, name, value) for name, value in attrs)
        if tag not in VOID:
            self.problems.append(f"<{tag}/> is not a void element")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"</{tag}> closes a void element")
            return
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
            return
        self.open.pop()
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None
        if tag == "script":
            self._script_id = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        if self._script_id is not None:
            self.script_text[self._script_id] += data

    def close(self) -> None:
        super().close()
        if self.open:
            self.problems.append(f"never closed: {self.open}")


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert parser.problems == []
    return parser


def embedded(page: str) -> Any:
    return json.loads(parse(page).script_text[htmlreport.JSON_ELEMENT_ID])


@pytest.fixture(scope="module")
def doctor_facts() -> dict[str, Any]:
    return doctor.collect()


def planted_check(secret: str, *, halo_said: str = "invalid_client") -> dict[str, Any]:
    """A refused check whose Halo text, finding and request address all carry `secret`."""
    finding = make(
        "INVALID_CLIENT",
        {"host": "https://acme.halopsa.com"},
        halo_said=f"{halo_said} (you sent {secret}; Authorization: Bearer {JWT})",
        link="https://acme.halopsa.com/config/integrations/api/applications",
    )
    report = CheckReport(
        host="https://acme.halopsa.com",
        product="Halo PSA",
        version="2.236.133",
        tenant="acme",
        token_url="https://acme.halopsa.com/auth/token?tenant=acme",
        client_id="6f1c0c0e-1111-2222-3333-444455556666",
        requested_scopes=["read:tickets"],
        findings=[finding],
        steps=[
            Step("discovery", "Find the instance", StepStatus.OK, "Halo PSA 2.236.133"),
            Step("token", "Get a token", StepStatus.FAILED, "Refused (HTTP 401)"),
        ],
        started_at="2026-03-04T09:15:00+00:00",
        duration=0.25,
        exchanges=[
            Exchange("GET", "https://acme.halopsa.com/api/authinfo", 200, 0.1),
            Exchange(
                "POST",
                f"https://acme.halopsa.com/auth/{quote(secret)}/token"
                f"?client_secret={quote_plus(secret)}&id_token={JWT}",
                401,
                0.05,
                halo_said=f"{halo_said}: {secret}",
            ),
            Exchange(
                "GET",
                "https://acme.halopsa.com/api/agent/me",
                None,
                5.0,
                error="TIMEOUT",
                reason="no answer within 5 seconds",
            ),
        ],
    )
    data = report.to_dict()
    # Upper-cased, as a careless message might show it.
    data["findings"][0]["detail"] = (
        f"The secret {secret.upper()} was typed. " + (data["findings"][0]["detail"])
    )
    return data


def sample(secret: str = "", halo_said: str = "invalid_client", **overrides: Any) -> dict[str, Any]:
    facts = {
        "version": "0.1.0",
        "frozen": False,
        "executable": "/usr/bin/python3",
        "python": "3.11.9",
        "python_implementation": "CPython",
        "qt": None,
        "pyside6": None,
        "qt_error": "Not looked up.",
        "os": "Linux 6.1 (Debian GNU/Linux 12, x86_64)",
        "keychain": {"name": "Secret Service", "available": True, "backend": "k.B", "reason": None},
        "certificates": {"system_ca_count": 140, "sources": ["OpenSSL's CA file /etc/ssl/x.pem"]},
        "proxies": {
            "environment": {"HTTPS_PROXY": f"http://jo:{secret or 'hunter22'}@proxy:3128"},
            "used": {"https": "http://jo:***@proxy:3128"},
            "bypass": None,
            "automatic": None,
            "error": None,
            "notes": [],
        },
        "log_file": "/home/jo/.local/state/halo-wizard/log/halo-wizard.log",
        "log": {"writing": True, "reason": None, "debug": False},
    }
    arguments: dict[str, Any] = {
        "doctor": facts,
        "source": "connection file halo-connection-acme.json",
        "generated_at": "2026-03-04T09:16:00+00:00",
        "secrets": [secret] if secret else [],
    }
    arguments.update(overrides)
    planted = planted_check(secret or "not-a-secret-at-all", halo_said=halo_said)
    return htmlreport.report_data(planted, **arguments)


# ----- redaction, against the simulated Halo -----


def test_real_checks_leave_the_secret_and_every_token_out_of_the_report(
    start_halo: HaloFactory,
    ca_bundle: str,
    doctor_facts: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = canary_secret()
    canary = Canary()
    canary.add("the client secret", secret)
    issued: list[tuple[str, str]] = []
    record_issued(lambda kind, value: issued.append((kind, value)), monkeypatch.setattr)
    outputs: dict[str, str] = {}
    verdicts = {}
    for scenario in ("healthy", "wrong_secret"):
        halo = start_halo(scenario)
        halo.client_secret = secret
        report = check(halo, ca_bundle, client_secret=secret)
        assert report.ok is (scenario == "healthy")
        # What the engine sent with each call to the API: the tokens it was given.
        for request in halo.requests:
            authorization = request.headers.get("authorization", "")
            if authorization:
                issued.append(("Authorization header", authorization.partition(" ")[2]))
        for secrets in ([secret], []):
            data = htmlreport.report_data(
                report.to_dict(),
                doctor=doctor_facts,
                source=f"the simulated Halo ({scenario})",
                secrets=secrets,
            )
            page = htmlreport.render_html(data)
            where = f"{scenario}, secrets given: {bool(secrets)}"
            written = tmp_path / f"{scenario}-{len(secrets)}.html"
            htmlreport.write_report(written, data)
            assert written.read_text("utf-8") == page
            outputs[f"{where}: the page"] = page
            outputs[f"{where}: the embedded JSON"] = json.dumps(embedded(page))
            outputs[f"{where}: the data"] = json.dumps(data)
            outputs[f"{where}: the summary"] = htmlreport.summary_text(data)
            verdicts[scenario] = data["verdict"]
        assert verdicts[scenario]["sentence"] == result_sentence(report)[1]
    # The healthy run did get a token (and an id token), and used it.
    kinds = {kind for kind, _ in issued}
    assert {"access token", "id token", "Authorization header"} <= kinds
    for number, (kind, value) in enumerate(dict.fromkeys(issued), start=1):
        canary.add(f"{kind} {number}", value)
    leaks, searched = canary.search_files([tmp_path])
    assert len(searched) == 4
    for where, text in outputs.items():
        leaks += canary.search_text(where, text)
        assert "bearer " not in text.lower(), where
    assert leaks == []
    assert "INVALID_CLIENT" in outputs["wrong_secret, secrets given: True: the page"]


def test_a_secret_planted_in_halos_words_a_finding_and_an_address_comes_out_masked() -> None:
    secret = canary_secret()
    data = sample(secret)
    page = htmlreport.render_html(data)
    summary = htmlreport.summary_text(data)
    canary = Canary()
    canary.add("the client secret", secret)
    canary.add("a JWT", JWT)
    texts = {"page": page, "summary": summary, "data": json.dumps(data)}
    texts["embedded"] = json.dumps(embedded(page))
    leaks = [leak for where, text in texts.items() for leak in canary.search_text(where, text)]
    assert leaks == []
    for text in texts.values():
        assert "eyJ" not in text and "bearer eyj" not in text.lower()
    # Masked where it was, the rest of each text kept.
    finding = data["findings"][0]
    assert finding["halo_said"].startswith("invalid_client (you sent ***; Authorization: ***")
    assert finding["detail"].startswith("The secret *** was typed. The token service answered")
    refused = data["exchanges"][1]
    assert refused["url"].startswith("https://acme.halopsa.com/auth/***/token?client_secret=***")
    assert refused["halo_said"] == "invalid_client: ***"
    assert data["computer"]["proxies"]["environment"]["HTTPS_PROXY"] == "http://jo:***@proxy:3128"


def test_without_the_secret_named_token_shapes_and_headers_are_still_masked() -> None:
    data = sample()
    text = json.dumps(data) + htmlreport.render_html(data) + htmlreport.summary_text(data)
    assert "eyJ" not in text
    assert "hunter22" not in text
    assert "Authorization: ***" in data["findings"][0]["halo_said"]
    assert "id_token=***" in data["exchanges"][1]["url"]


# ----- the page -----


def test_a_hostile_halo_cannot_put_markup_or_a_script_in_the_page() -> None:
    hostile = '</script><script>alert("x")</script><img src=x onerror=alert(1)> & "q"'
    data = sample(halo_said=hostile)
    page = htmlreport.render_html(data)
    parsed = parse(page)
    assert "<script>alert" not in page and "<img" not in page
    assert parsed.scripts == [{"type": "application/json", "id": htmlreport.JSON_ELEMENT_ID}]
    assert not any(name.startswith("on") for _, name, _ in parsed.attributes)
    assert "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)" in page
    text = parsed.script_text[htmlreport.JSON_ELEMENT_ID]
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\\u003c/script\\u003e" in text
    assert embedded(page) == data
    assert hostile in embedded(page)["exchanges"][1]["halo_said"]


def test_the_embedded_json_is_the_report_data() -> None:
    data = sample(
        changes=[{"what": "read:tickets", "before": "records seen", "now": "refused"}],
        last_tested_at="2026-03-01T08:00:00+00:00",
    )
    page = htmlreport.render_html(data)
    assert embedded(page) == data
    assert data["format"] == "halo-wizard-report" and data["format_version"] == 1
    json.dumps(data, allow_nan=False)  # JSON through and through


def test_the_page_parses_cleanly_and_has_its_headings_in_order() -> None:
    data = sample(
        changes=[{"what": "read:tickets", "before": "records seen", "now": "refused"}],
        last_tested_at="2026-03-01T08:00:00+00:00",
    )
    headings = parse(htmlreport.render_html(data)).headings
    assert headings[0] == "Halo connection report: https://acme.halopsa.com"
    wanted = [
        htmlreport.HEADING_RESULT,
        htmlreport.HEADING_CHANGES,
        htmlreport.HEADING_FINDINGS,
        htmlreport.HEADING_STEPS,
        htmlreport.HEADING_REQUESTS,
        htmlreport.HEADING_COMPUTER,
    ]
    assert [heading for heading in headings if heading in wanted] == wanted
    assert "1. Problem Halo rejected the Client ID or the client secret" in headings


def test_the_page_loads_nothing_and_prints_and_has_a_dark_scheme() -> None:
    page = htmlreport.render_html(sample())
    parsed = parse(page)
    loaded = [(tag, name) for tag, name, _ in parsed.attributes if name in ("src", "href")]
    assert loaded == []
    assert not re.search(r"(?i)url\(|@import|<link|<iframe|<object|<embed", page)
    # Addresses are shown as text only, never as something to follow or load.
    assert "https://acme.halopsa.com/config/integrations/api/applications</code>" in page
    assert "@media print" in page and "@page" in page
    assert "thead { display: table-header-group; }" in page
    assert "@media (prefers-color-scheme: dark)" in page
    assert '<meta charset="utf-8">' in page


def test_the_verdict_comes_first_in_result_sentences_words() -> None:
    report = CheckReport(
        host="https://acme.halopsa.com",
        scopes=[ScopeResult("edit:tickets", ScopeStatus.GRANTED, 3)],
        findings=[make("AGENT_NOT_API_ONLY", agent="Jo Bloggs"), make("TENANT_DETECTED")],
    )
    extra = ["Halo acts as another identity"]
    data = htmlreport.report_data(report.to_dict(), doctor={}, extra_warnings=extra)
    kind, sentence = result_sentence(report, extra)
    assert data["verdict"] == {"kind": kind, "sentence": sentence}
    page = htmlreport.render_html(data)
    verdict_at = page.index(f'<p class="verdict {kind}">')
    assert verdict_at < page.index(htmlreport.HEADING_FINDINGS)
    assert html.escape(sentence) in page
    assert f"Result: {sentence}" in htmlreport.summary_text(data)


def test_every_finding_with_its_words_steps_and_halos_own_words() -> None:
    data = sample()
    page = htmlreport.render_html(data)
    finding = data["findings"][0]
    assert finding["code"] == "INVALID_CLIENT" and finding["severity"] == "error"
    assert "Halo's own words" not in finding["detail"]
    assert finding["halo_said"].startswith("invalid_client (you sent")
    assert '<p class="label">Halo\'s own words:</p>' in page
    assert page.count("<li>") >= len(finding["fix"]) >= 3
    for step in finding["fix"]:
        assert html.escape(step) in page


def test_the_requests_table_shows_status_failure_seconds_and_halos_text() -> None:
    page = htmlreport.render_html(sample())
    assert "200 OK" in page and "401 Unauthorized" in page
    assert "No answer: no answer within 5 seconds (TIMEOUT)" in page
    assert '<td class="seconds">5.000</td>' in page
    assert "invalid_client: not-a-secret-at-all" in page


def test_never_tested_before_when_there_is_no_recorded_test() -> None:
    data = sample()
    assert data["changes"] is None and data["last_tested_at"] is None
    page = htmlreport.render_html(data)
    assert htmlreport.HEADING_CHANGES in parse(page).headings
    assert "Never tested before" in page
    assert "Never tested before" in htmlreport.summary_text(data)
    again = htmlreport.render_html(sample(changes=[]))
    assert "Never tested before" in again


def test_changes_since_the_last_test_are_listed() -> None:
    changes = [
        {"what": "read:tickets", "before": "records seen", "now": "refused"},
        {"what": "Finding INVALID_CLIENT", "before": None, "now": "appeared"},
    ]
    data = sample(changes=changes, last_tested_at="2026-03-01T08:00:00+00:00")
    page = htmlreport.render_html(data)
    assert "Since the last test (2026-03-01 08:00:00 UTC):" in page
    assert "<td>read:tickets</td><td>records seen</td><td>refused</td>" in page
    summary = htmlreport.summary_text(data)
    assert "- read:tickets: records seen \u2192 refused" in summary
    assert "- Finding INVALID_CLIENT: none \u2192 appeared" in summary


def test_nothing_changed_and_not_compared_read_differently() -> None:
    same = sample(changes=[], last_tested_at="2026-03-01T08:00:00+00:00")
    assert "Nothing changed since the last test (2026-03-01 08:00:00 UTC)." in (
        htmlreport.render_html(same)
    )
    uncompared = sample(last_tested_at="2026-03-01T08:00:00+00:00")
    page = htmlreport.render_html(uncompared)
    assert htmlreport.HEADING_CHANGES not in page and "Never tested" not in page


def test_a_five_kilobyte_halo_text_is_shortened_not_dropped() -> None:
    long_text = "Server Error in '/' Application. " + "x" * 5000
    data = sample(halo_said=long_text)
    said = data["exchanges"][1]["halo_said"]
    assert said.startswith("Server Error in '/' Application. xxxx")
    assert len(said) < 1300
    assert re.search(r"\[\d+ more characters not shown\]$", said)
    assert said in embedded(htmlreport.render_html(data))["exchanges"][1]["halo_said"]
    assert "more characters not shown" in htmlreport.render_html(data)


def test_a_secret_across_the_cut_is_masked_whole() -> None:
    secret = canary_secret()
    padding = "y" * (htmlreport.MAX_TEXT - 10)
    data = sample(secret, halo_said=padding)
    said = data["exchanges"][1]["halo_said"]
    assert secret[:10] not in said and "more characters not shown" not in said


def test_this_computer_shows_doctors_facts(doctor_facts: dict[str, Any]) -> None:
    data = htmlreport.report_data(
        planted_check("not-a-secret-at-all"), doctor=doctor_facts, source="pasted text"
    )
    page = htmlreport.render_html(data)
    computer = page[page.index(htmlreport.HEADING_COMPUTER) :]
    for fact in (
        doctor_facts["version"],
        doctor_facts["python"],
        doctor_facts["os"],
        doctor_facts["keychain"]["name"],
        *doctor_facts["certificates"]["sources"],
    ):
        assert html.escape(str(fact)) in computer
    for label in ("Frozen (packaged app)", "Qt", "https:// goes via", "Log file"):
        assert f'<th scope="row">{html.escape(label)}</th>' in computer
    assert data["computer"] == json.loads(json.dumps(doctor_facts))


def test_the_summary_is_a_few_lines_with_what_when_verdict_and_first_steps() -> None:
    data = sample(
        changes=[{"what": "read:tickets", "before": "records seen", "now": "refused"}],
        last_tested_at="2026-03-01T08:00:00+00:00",
    )
    lines = htmlreport.summary_text(data).splitlines()
    assert lines[0] == (
        "Halo connection report: connection file halo-connection-acme.json "
        "(https://acme.halopsa.com)"
    )
    assert lines[1] == "Tested 2026-03-04 09:15:00 UTC; report made 2026-03-04 09:16:00 UTC."
    assert lines[2] == f"Result: {data['verdict']['sentence']}"
    assert lines[3] == "- Problem: Halo rejected the Client ID or the client secret"
    assert lines[4] == f"  First step: {data['findings'][0]['fix'][0]}"
    assert lines[-1] == f"halo-wizard {__version__}"
    assert len(lines) <= 10


def test_notes_are_on_the_page_but_not_in_the_summary() -> None:
    report = CheckReport(findings=[make("TENANT_DETECTED", tenant="acme")])
    data = htmlreport.report_data(report.to_dict(), doctor={})
    assert "Tenant detected: acme" in htmlreport.render_html(data)
    assert "Tenant detected" not in htmlreport.summary_text(data)
    assert data["verdict"]["kind"] == "ok"


def test_generated_at_defaults_to_now_in_utc() -> None:
    data = htmlreport.report_data(CheckReport().to_dict(), doctor={})
    assert data["generated_at"].endswith("+00:00")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", data["generated_at"])
    # An empty check still makes a whole page.
    parse(htmlreport.render_html(data))


def test_write_report_replaces_the_file_at_once_in_utf8(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text("old", encoding="utf-8")
    data = sample(halo_said="Ungültige Anmeldedaten \u2014 \u00e9t\u00e9")
    htmlreport.write_report(path, data)
    assert path.read_bytes() == htmlreport.render_html(data).encode("utf-8")
    assert "Ungültige Anmeldedaten" in path.read_text("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_times_read_as_utc_or_with_their_offset() -> None:
    assert htmlreport.when_text("2026-03-04T09:15:00+00:00") == "2026-03-04 09:15:00 UTC"
    assert htmlreport.when_text("2026-03-04T09:15:00.5+02:00") == "2026-03-04 09:15:00 UTC+02:00"
    assert htmlreport.when_text("yesterday") == "yesterday"
    assert htmlreport.when_text(None) == "unknown"
