"""`check --record` and `diagnose --record`: a trace of what Halo answered, which a supporter
can learn from and replay, and which never holds a secret, a token or a record's content.

Every test records a real check against the simulated Halo over real TLS, through the
command line's main() in this process; answers the simulator never gives are made with its
override hook (what Halo sends back is the test's, the program under test is untouched).
"""

from __future__ import annotations

import base64
import io
import json
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from tests.canary import Canary, canary_secret
from tests.conftest import HaloFactory
from wizard.cli import main
from wizard.core import htmlreport
from wizard.core.model import CheckRequest, LocalRoutes
from wizard.core.trace import record_check
from wizard.sim import RecordedRequest
from wizard.sim.halo import HostedHalo
from wizard.sim.replay import ReplayedHalo, load
from wizard.sim.server import Reply

SCOPES = "read:tickets read:customers read:assets read:timesheets"


def canary(what: str) -> str:
    """A distinct string no program could have by chance, recognisable in any dump."""
    return f"CANARY{what.upper()}{secrets.token_hex(8)}"


def run(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, secret: str | None
) -> tuple[int, dict[str, Any] | None]:
    """halo-wizard ARGV --json in this process; (exit code, the JSON printed, if any)."""
    if secret is None:
        monkeypatch.delenv("HALO_CLIENT_SECRET", raising=False)
    else:
        monkeypatch.setenv("HALO_CLIENT_SECRET", secret)
    out = io.StringIO()
    code = main([*argv, "--json"], stdin=io.StringIO(""), stdout=out)
    printed = out.getvalue()
    return code, json.loads(printed) if printed.strip() else None


def check_args(url: str, client_id: str, ca_bundle: str, *extra: str) -> list[str]:
    return [
        "check", "--host", url, "--client-id", client_id, "--scopes", SCOPES,
        "--ca-bundle", ca_bundle, "--timeout", "5", *extra,
    ]  # fmt: skip


def answers(trace: dict[str, Any], path: str) -> list[dict[str, Any]]:
    return [e["answer"] for e in trace["exchanges"] if e["request"]["path"].lower() == path.lower()]


def json_body(reply: Reply) -> Any:
    assert isinstance(reply.body, bytes)
    return json.loads(reply.body)


def with_json(reply: Reply, payload: Any, status: int | None = None) -> Reply:
    body = json.dumps(payload).encode()
    headers = {**reply.headers, "Content-Type": "application/json"}
    return Reply(status or reply.status, body, headers)


def jwt(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.{secrets.token_hex(16)}"


def test_a_trace_holds_no_secret_token_or_record_content_only_what_is_learnt_from(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = Canary()
    secret = canary_secret()
    found.add("the client secret", secret)
    names = {what: canary(what) for what in ("agent", "email", "team", "claim")}
    records = {what: canary(what) for what in ("summary", "note", "message", "error", "client")}
    for what, value in [*names.items(), *records.items()]:
        found.add(what, value)

    def override(request: RecordedRequest, reply: Reply) -> Reply:
        path = request.path.lower()
        if path == "/auth/token" and reply.status == 200:
            payload = json_body(reply)
            found.add("the access token", payload["access_token"])
            payload["id_token"] = jwt(
                {"sub": "42", "name": names["agent"], "email": names["email"], "x": names["claim"]}
            )
            found.add("the id_token", payload["id_token"])
            payload["refresh_token"] = canary("refresh")
            found.add("the refresh token", payload["refresh_token"])
            return with_json(reply, payload)
        if path == "/api/agent/me":
            agent = json_body(reply)
            agent.update(name=names["agent"], email=names["email"])
            agent["teams"] = [{"id": 1, "name": names["team"], "department_id": 1}]
            return with_json(reply, agent)
        if path == "/api/tickets":
            # Error-looking fields inside records, and beside them, are a record's content.
            ticket = {"id": 1, "summary": records["summary"], "note": records["note"]}
            ticket.update(message=records["message"], error=records["error"], is_vip=True)
            listing = {"record_count": 3, "tickets": [ticket], "message": records["message"]}
            return with_json(reply, listing)
        if path == "/api/client":
            return with_json(reply, {"record_count": 24, "clients": [{"name": records["client"]}]})
        return reply

    halo = start_halo("healthy", override=override)
    halo.client_secret = secret
    trace_path = tmp_path / "trace.json"
    code, report = run(
        check_args(halo.url, halo.client_id, ca_bundle, "--record", str(trace_path)),
        monkeypatch,
        secret,
    )
    assert code == 0 and report is not None

    data = trace_path.read_bytes()
    assert found.search_text("the trace", data.decode("utf-8")) == []
    trace = json.loads(data)
    assert trace["format"] == "halo-wizard-trace" and trace["version"] == 1
    # What a supporter learns from is there: the scope string Halo granted, record counts,
    # the tenant, the product, who the token acts as (by kind), every request in order.
    token = answers(trace, "/auth/token")[0]
    # Verbatim, as Halo wrote it (the OpenID names too, which the check itself leaves out).
    assert set(report["granted_scopes"]) <= set(token["body"]["shape"]["scope"].split())
    assert token["body"]["shape"]["access_token"] == "string"
    assert set(token["body"]["shape"]["id_token"]["$jwt"]) == {"sub", "name", "email", "x"}
    tickets = answers(trace, "/api/Tickets")[0]["body"]["shape"]
    assert tickets == {
        "record_count": 3,
        "tickets": [
            {
                "id": "integer",
                "summary": "string",
                "note": "string",
                "message": "string",
                "error": "string",
                "is_vip": "boolean",
            }
        ],
        "message": "string",
    }
    info = answers(trace, "/api/instanceinfo")[0]["body"]["shape"]
    assert (info["tenant_id"], info["app_name"]) == ("acme", "Halo PSA")
    assert info["agent_url"] == "{instance}" and info["portal_url"] == "{instance}/portal/"
    agent = answers(trace, "/api/Agent/me")[0]["body"]["shape"]
    assert (agent["isapiagent"], agent["is_admin"], agent["name"]) == (True, False, "string")
    assert trace["result"] == {
        "ok": True,
        "codes": [f["code"] for f in report["findings"]],
        "scopes": {s["scope"]: s["status"] for s in report["scopes"]},
        "identity": "agent",
    }
    assert len(trace["exchanges"]) == len(report["exchanges"])
    form = answers_request(trace, "/auth/token")["form"]
    assert form["client_secret"] == "string" and form["client_id"] == "{client_id}"
    assert trace["check"]["client_id"] == halo.client_id


def answers_request(trace: dict[str, Any], path: str) -> dict[str, Any]:
    return next(e["request"] for e in trace["exchanges"] if e["request"]["path"] == path)


def echoing(secret: str, tokens: list[str]) -> Callable[[RecordedRequest, Reply], Reply]:
    """A Halo that repeats the secret and the token in its errors, in every form it might."""
    forms = f"{secret} | {quote(secret, safe='')} | {quote_plus(secret)} | {secret.upper()}"

    def override(request: RecordedRequest, reply: Reply) -> Reply:
        path = request.path.lower()
        if path == "/auth/token":
            payload = json_body(reply)
            tokens.append(payload["access_token"])
            return with_json(reply, payload)
        if path == "/api/tickets":
            token = request.headers.get("authorization", "").partition(" ")[2]
            said = f"The token {token} may not read tickets; secret was {forms}."
            challenge = f'Bearer error="insufficient_scope", error_description="{said}"'
            headers = {
                "WWW-Authenticate": challenge,
                "Location": f"https://elsewhere.example/login?client_secret={quote(secret)}&x=1",
            }
            body = json.dumps({"message": said, "error": f"denied for {secret}"}).encode()
            return Reply(403, body, {"Content-Type": "application/json", **headers})
        if path == "/api/client":
            return Reply(400, f"Bad request: {secret}".encode(), {"Content-Type": "text/plain"})
        return reply

    return override


def test_a_secret_or_token_that_halo_echoes_in_an_error_is_withheld_and_the_error_kept(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = canary_secret()
    tokens: list[str] = []
    halo = start_halo("healthy", override=echoing(secret, tokens))
    halo.client_secret = secret
    trace_path = tmp_path / "trace.json"
    code, _ = run(
        check_args(halo.url, halo.client_id, ca_bundle, "--record", str(trace_path)),
        monkeypatch,
        secret,
    )
    assert code == 1

    found = Canary()
    found.add("the client secret", secret)
    for number, token in enumerate(tokens, 1):
        found.add(f"access token {number}", token)
    assert tokens
    text = trace_path.read_text("utf-8")
    assert found.search_text("the trace", text) == []
    tickets = json.loads(text)
    refused = answers(tickets, "/api/Tickets")[0]
    said = refused["body"]["shape"]["message"]
    # Halo's words are kept for what they teach; the secret and the token in them are not.
    assert said.startswith("The token [withheld] may not read tickets; secret was [withheld]")
    assert refused["body"]["shape"]["error"] == "denied for [withheld]"
    assert "insufficient_scope" in refused["headers"]["www-authenticate"]
    assert refused["headers"]["location"] == "{host1}/login?client_secret=string&x=integer"
    assert answers(tickets, "/api/Client")[0]["body"]["text"] == "Bad request: [withheld]"


def test_the_trace_is_never_written_over_a_file_the_command_reads_and_replaces_only_with_force(
    halo: Any, ca_bundle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = check_args(halo.url, halo.client_id, ca_bundle)
    bundle_before = Path(ca_bundle).read_bytes()
    code, printed = run([*args, "--record", ca_bundle, "--force"], monkeypatch, halo.client_secret)
    assert (code, printed) == (2, None)
    assert Path(ca_bundle).read_bytes() == bundle_before

    saved = tmp_path / "saved.json"
    code, _ = run(
        [*args, "--record", str(saved), "--save", str(saved), "--secret-store", "none"],
        monkeypatch,
        halo.client_secret,
    )
    assert code == 2 and not saved.exists()

    existing = tmp_path / "trace.json"
    existing.write_text("an earlier trace", "utf-8")
    code, printed = run([*args, "--record", str(existing)], monkeypatch, halo.client_secret)
    assert (code, printed) == (2, None)  # refused before anything was tested
    assert existing.read_text("utf-8") == "an earlier trace"
    assert halo.requests == []

    code, _ = run([*args, "--record", str(existing), "--force"], monkeypatch, halo.client_secret)
    assert code == 0
    assert json.loads(existing.read_text("utf-8"))["format"] == "halo-wizard-trace"
    # Written whole at once: nothing but the trace is left in the folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trace.json"]


def test_a_trace_says_what_could_not_be_reached_and_the_check_still_reports(
    ca_bundle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trace_path = tmp_path / "trace.json"
    # Nothing listens on port 9 of this computer.
    argv = check_args("https://127.0.0.1:9", secrets.token_hex(4), ca_bundle)
    code, report = run([*argv, "--record", str(trace_path)], monkeypatch, canary_secret())
    assert code == 1 and report is not None
    trace = json.loads(trace_path.read_text("utf-8"))
    failures = [e["answer"]["error"] for e in trace["exchanges"]]
    assert failures and set(failures) == {"CONNECT_FAILED"}
    assert trace["result"]["codes"] == [f["code"] for f in report["findings"]]
    # A Client ID that is no GUID might be a pasted secret: it is not kept.
    assert trace["check"]["client_id"] is None


def test_diagnose_records_its_test_as_check_does(
    halo: Any, ca_bundle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pasted = tmp_path / "form.txt"
    pasted.write_text(
        f"HALO_HOST={halo.url}\nHALO_CLIENT_ID={halo.client_id}\nHALO_SCOPES=read:tickets\n",
        "utf-8",
    )
    trace_path = tmp_path / "trace.json"
    code, report = run(
        ["diagnose", "--from-text", str(pasted), "--ca-bundle", ca_bundle,
         "--record", str(trace_path)],
        monkeypatch,
        halo.client_secret,
    )  # fmt: skip
    assert code == 0 and report is not None
    text = trace_path.read_text("utf-8")
    assert halo.client_secret not in text
    trace = json.loads(text)
    assert trace["command"] == "diagnose"
    assert trace["check"]["scopes"] == ["read:tickets"]
    assert trace["result"]["scopes"] == {"read:tickets": "ok"}


def test_the_support_report_says_how_to_attach_a_trace() -> None:
    page = htmlreport.render_html(htmlreport.report_data({"findings": []}, doctor={}))
    assert "<code>halo-wizard diagnose ... --record trace.json</code> and attach" in page
    assert "no secret, token or record content" in page


def test_diagnose_never_records_over_the_connection_it_tests_or_its_report(
    halo: Any,
    ca_bundle: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    saved = tmp_path / "acme.json"
    argv = check_args(halo.url, halo.client_id, ca_bundle, "--save", str(saved))
    code, _ = run([*argv, "--secret-store", "none"], monkeypatch, halo.client_secret)
    assert code == 0
    before = saved.read_bytes()
    capsys.readouterr()
    diagnose = ["diagnose", "--connection", str(saved), "--ca-bundle", ca_bundle]
    code, printed = run([*diagnose, "--record", str(saved), "--force"], monkeypatch, None)
    assert (code, printed) == (2, None)
    assert "is a file this command reads" in capsys.readouterr().err
    report = tmp_path / "report.html"
    code, printed = run(
        [*diagnose, "--report", str(report), "--record", str(report)], monkeypatch, None
    )
    assert (code, printed) == (2, None)
    assert "--record and --report name the same file" in capsys.readouterr().err
    assert saved.read_bytes() == before and not report.exists()


def test_a_trace_names_no_host_and_says_when_the_halo_was_a_hosted_one(tmp_path: Path) -> None:
    trace_path = tmp_path / "trace.json"
    # The demo's trial: acme.halopsa.com, signing in on the shared uk-trial.halopsa.com.
    with HostedHalo("trial") as halo:
        request = CheckRequest(
            host="acme.halopsa.com",
            client_id=halo.client_id,
            client_secret=halo.client_secret,
            scopes=SCOPES,
            timeout=5,
            routes=LocalRoutes(halo.routes, halo.ca_pem),
        )
        report = record_check(request, str(trace_path), command="check")
    assert report.ok
    text = trace_path.read_text("utf-8")
    assert "acme.halopsa.com" not in text.lower() and "uk-trial" not in text.lower()
    trace = load(trace_path)
    assert trace["check"]["hosted_domain"] == "halopsa.com"
    servers = [e["request"]["server"] for e in trace["exchanges"]]
    assert servers.count("host1") == 1 and set(servers) == {"instance", "host1"}
    authinfo = answers(trace, "/api/authinfo")[0]["body"]["shape"]
    assert authinfo == {"auth_url": "{host1}", "tenant_id": "SimTrial42"}
    assert "hosted Halo (*.halopsa.com)" in ReplayedHalo(trace).describe()
