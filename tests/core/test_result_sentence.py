"""The one sentence that sums up a result says what was verified, and names every warning."""

from __future__ import annotations

from wizard.core.findings import make
from wizard.core.model import CheckReport, ScopeResult, ScopeStatus
from wizard.core.textreport import render, result_sentence


def test_a_clean_result_works() -> None:
    report = CheckReport(scopes=[ScopeResult("read:tickets", ScopeStatus.OK, 3)])
    assert result_sentence(report) == ("ok", "The connection works.")


def test_an_edit_scope_makes_it_work_for_reading_only() -> None:
    report = CheckReport(scopes=[ScopeResult("edit:tickets", ScopeStatus.GRANTED, 3)])
    kind, sentence = result_sentence(report)
    assert kind == "ok"
    assert sentence == (
        "The connection works for reading (changing, with edit:tickets, is granted but not tried)."
    )


def test_warnings_are_counted_and_named() -> None:
    report = CheckReport(findings=[make("AGENT_NOT_API_ONLY", agent="Jo Bloggs")])
    kind, sentence = result_sentence(report, ["Halo acts as another identity"])
    assert kind == "warning"
    assert sentence.startswith("The connection works, but 2 warnings are worth fixing: ")
    assert report.findings[0].title in sentence and "Halo acts as another identity" in sentence


def test_problems_are_counted_and_named_before_warnings() -> None:
    report = CheckReport(findings=[make("AGENT_NOT_API_ONLY", agent="Jo"), make("INVALID_CLIENT")])
    kind, sentence = result_sentence(report)
    assert kind == "error"
    assert sentence == (
        "1 problem to fix before the connection works: "
        "Halo rejected the Client ID or the client secret."
    )


def test_the_command_lines_report_ends_with_the_same_sentence() -> None:
    report = CheckReport(scopes=[ScopeResult("edit:tickets", ScopeStatus.GRANTED, 3)])
    last = render(report, colour=False, unicode=True).strip().splitlines()[-1]
    assert last == (
        "Result: the connection works for reading (changing, with edit:tickets, is granted "
        "but not tried)."
    )
