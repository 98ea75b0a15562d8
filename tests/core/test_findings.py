"""Findings are data: code, severity, scope and facts; their words come from the catalogue."""

from __future__ import annotations

from wizard.core import messages
from wizard.core.findings import Severity, make


def test_a_finding_is_worded_from_the_catalogue_with_its_facts() -> None:
    finding = make("TENANT_DETECTED", {"host": "https://acme.halopsa.com"}, tenant="acme")
    assert finding.code == "TENANT_DETECTED"
    assert finding.severity is Severity(messages.FINDINGS["TENANT_DETECTED"].severity)
    assert finding.params["tenant"] == "acme"
    assert "acme" in finding.title + finding.detail
    assert finding.to_dict()["title"] == finding.title


def test_two_checks_are_compared_finding_by_finding_by_code_and_scope() -> None:
    before = make("PERMISSION_DENIED", scope="read:assets", status=403)
    after = make("PERMISSION_DENIED", scope="read:assets", status=401)
    other = make("PERMISSION_DENIED", scope="read:tickets", status=403)
    assert before.key == after.key == ("PERMISSION_DENIED", "read:assets")
    assert before.key != other.key
    assert "read:assets" in before.title + before.detail


def test_what_halo_said_is_quoted_after_the_detail() -> None:
    finding = make("INVALID_CLIENT", halo_said="The client secret is wrong")
    assert finding.detail.endswith(messages.HALO_SAID.format(text="The client secret is wrong"))


def test_the_context_is_kept_as_it_was_when_the_finding_was_made() -> None:
    context = {"tenant": "acme"}
    finding = make("TENANT_DETECTED", context)
    context["tenant"] = "changed later"
    assert finding.params["tenant"] == "acme"
    assert "changed later" not in finding.title + finding.detail


def test_a_notes_steps_are_what_to_do_and_a_problems_are_its_fix() -> None:
    note = make("TOOL_NEEDS_BROAD_ACCESS", {"tool": "Rewst"}, scopes="all", why="Why.")
    problem = make("INVALID_CLIENT")
    assert note.fix and note.fix_heading == "What to do:"
    assert problem.fix_heading == "How to fix it:"
    from wizard.core.model import CheckReport
    from wizard.core.textreport import render

    report = CheckReport()
    report.findings.extend([problem, note])
    lines = render(report).splitlines()
    assert "   How to fix it:" in lines and "   What to do:" in lines
