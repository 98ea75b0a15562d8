"""The fault matrix's session: docs/reliability.md is written once every case has run."""

from __future__ import annotations

import pytest

from tests.faults.matrix import COLLECTOR

MATRIX_TEST = "test_fault_matrix.py::test_check_handles_the_fault"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if MATRIX_TEST not in report.nodeid or "[" not in report.nodeid:
        return
    case_id = report.nodeid.rsplit("[", 1)[1].rstrip("]")
    if report.when == "setup" and report.outcome != "passed":
        COLLECTOR.outcomes[case_id] = "error" if report.failed else "skipped"
    elif report.when == "call":
        if hasattr(report, "wasxfail"):
            # A strict xfail that passed is reported as failed, with wasxfail set.
            COLLECTOR.outcomes[case_id] = "xpass (strict: fails)" if report.failed else "xfail"
        else:
            COLLECTOR.outcomes[case_id] = "pass" if report.passed else "FAIL"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Only a run of the whole matrix rewrites the table: a -k selection would truncate it.
    if COLLECTOR.complete():
        COLLECTOR.write()
