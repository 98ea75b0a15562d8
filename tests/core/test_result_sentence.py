"""The one sentence that sums up a result: the verdict alone, short, and true; what was and was
not verified, and every warning and problem by name, are in its details."""

from __future__ import annotations

import re

import pytest

from tests.conftest import HaloFactory, check
from wizard.core.findings import Severity, make
from wizard.core.model import CheckReport, ScopeResult, ScopeStatus
from wizard.core.textreport import HEADLINE_LIMIT, render, result_details, result_sentence
from wizard.sim.scenarios import DEMO_SCENARIOS, SCENARIO_DATA


def test_a_clean_result_works() -> None:
    report = CheckReport(scopes=[ScopeResult("read:tickets", ScopeStatus.OK, 3)])
    assert result_sentence(report) == ("ok", "The connection works.")
    assert result_details(report) == []


def test_an_edit_scope_makes_it_work_for_reading_only_and_the_details_say_why() -> None:
    report = CheckReport(scopes=[ScopeResult("edit:tickets", ScopeStatus.GRANTED, 3)])
    assert result_sentence(report) == ("ok", "The connection works for reading.")
    assert result_details(report) == [
        "Changing (edit:tickets) is granted but not tried: the test never changes anything in Halo."
    ]


def test_warnings_are_counted_and_named_in_the_details() -> None:
    report = CheckReport(findings=[make("AGENT_NOT_API_ONLY", agent="Jo Bloggs")])
    extra = ["Halo acts as another identity"]
    kind, sentence = result_sentence(report, extra)
    assert kind == "warning"
    assert sentence == "The connection works, but 2 warnings are worth fixing."
    (names,) = result_details(report, extra)
    assert names.startswith("Worth fixing: ")
    assert report.findings[0].title in names and "Halo acts as another identity" in names


def test_one_problem_is_named_and_warnings_wait() -> None:
    report = CheckReport(findings=[make("AGENT_NOT_API_ONLY", agent="Jo"), make("INVALID_CLIENT")])
    kind, sentence = result_sentence(report)
    assert kind == "error"
    assert sentence == (
        "1 problem to fix before the connection works: "
        "Halo rejected the Client ID or the client secret."
    )
    assert result_details(report) == []


def test_several_problems_are_counted_and_named_in_the_details() -> None:
    report = CheckReport(
        findings=[
            make("SCOPE_NOT_GRANTED", scope="edit:tickets"),
            make("SCOPE_NOT_GRANTED", scope="edit:customers"),
        ]
    )
    assert result_sentence(report) == (
        "error",
        "2 problems to fix before the connection works.",
    )
    (names,) = result_details(report)
    assert names.startswith("To fix: ") and "edit:tickets" in names and "edit:customers" in names


def test_a_long_problem_is_counted_not_quoted() -> None:
    long_host = "https://" + "a-very-long-name." * 6 + "halopsa.com"
    report = CheckReport(findings=[make("NOT_HALO", host=long_host, url=long_host)])
    kind, sentence = result_sentence(report)
    assert (kind, sentence) == ("error", "1 problem to fix before the connection works.")
    (names,) = result_details(report)
    assert long_host in names


def test_the_command_lines_report_ends_with_the_same_sentence() -> None:
    report = CheckReport(scopes=[ScopeResult("edit:tickets", ScopeStatus.GRANTED, 3)])
    last = render(report, colour=False, unicode=True).strip().splitlines()[-1]
    assert last == "Result: the connection works for reading."


# ----- every simulated situation -----

# Read-only, and reading and changing: "for reading" is said only for the second.
SCOPE_SETS = ("read:tickets read:customers read:assets", "read:tickets edit:tickets read:customers")
# How long a situation that never answers, or answers slowly, is waited for.
TIMEOUTS = {"never_answers": 1.0, "drip": 1.5}
# A sentence boundary inside the sentence: a full stop, then a capital.
SECOND_SENTENCE = re.compile(r"[.!?]\s+[A-Z]")


def assert_true_of(report: CheckReport, kind: str, sentence: str) -> None:
    """What the sentence claims is what the report holds."""
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    warnings = [f for f in report.findings if f.severity is Severity.WARNING]
    empty = [s for s in report.scopes if s.status is ScopeStatus.EMPTY]
    untried = [s for s in report.scopes if s.status is ScopeStatus.GRANTED]
    assert (kind == "error") == bool(errors)
    assert (kind == "ok") == (not errors and not warnings and not empty)
    works = sentence.startswith("The connection works")
    assert works == (not errors and not empty)
    assert ("for reading" in sentence) == (works and bool(untried))
    if errors:
        count = len(errors)
        assert sentence.startswith(f"{count} problem{'' if count == 1 else 's'} to fix ")
        if count == 1 and ":" in sentence:
            assert sentence.endswith(f": {errors[0].title}.")
    elif empty:
        assert sentence.startswith("Halo accepted the connection, but it sees no ")
    elif warnings:
        count = len(warnings)
        assert f", but {count} warning{' is' if count == 1 else 's are'} worth fixing." in sentence


@pytest.mark.parametrize("scenario", list(DEMO_SCENARIOS))
def test_every_situations_sentence_is_one_short_true_sentence(
    scenario: str, start_halo: HaloFactory, ca_bundle: str
) -> None:
    """Tested as an admin with a Client ID and secret would (the situations of an application
    that signs with a key too: the secret is refused, and the finding says why it may be)."""
    timeout = TIMEOUTS.get(scenario)
    for scopes in SCOPE_SETS[:1] if timeout else SCOPE_SETS:
        halo = start_halo(scenario)
        report = check(halo, ca_bundle, scopes=scopes, timeout=timeout or 5.0)
        kind, sentence = result_sentence(report)
        where = f"{scenario}, {scopes}: {sentence}"
        assert len(sentence) <= HEADLINE_LIMIT, where
        assert sentence.endswith(".") and "\n" not in sentence, where
        assert not SECOND_SENTENCE.search(sentence[:-1]), where
        assert ";" not in sentence, where
        assert_true_of(report, kind, sentence)
        # Nothing the sentence leaves out is lost: the problems and warnings are named.
        details = " ".join(result_details(report))
        for finding in report.findings:
            if finding.severity is not Severity.INFO:
                assert finding.title in f"{sentence} {details}", where
        # The command line's report ends with the same verdict, its details above it.
        shown = render(report, colour=False, unicode=True)
        assert shown.strip().splitlines()[-1] == f"Result: {sentence[:1].lower()}{sentence[1:]}"
        if untried := [s.scope for s in report.scopes if s.status is ScopeStatus.GRANTED]:
            assert "Granted; not tried" in shown and untried[0] in shown
        if SCENARIO_DATA[scenario].jwt_assertion:
            # Halo refuses the secret as it refuses a wrong one: the finding names the
            # Authentication Method, and how to change it or sign with the key instead.
            (refused,) = [f for f in report.findings if f.severity is Severity.ERROR]
            assert refused.code == "INVALID_CLIENT"
            assert 'set to sign with a key (Authentication Method "JWT Assertion' in (
                refused.detail
            )
            method = refused.fix[1]
            assert 'set it to "Client ID and Secret (Services)"' in method
            assert "--private-key FILE" in method
