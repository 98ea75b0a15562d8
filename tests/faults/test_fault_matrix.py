"""Every fault a hostile server can produce, at every step where it can happen, gives the
right finding, exit code and one JSON object, with no traceback, within the deadline and
under the memory limit: the real command against a real (simulated) server."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import trustme

from tests.faults.matrix import (
    CASES,
    COLLECTOR,
    WORKERS,
    Case,
    Result,
    expected,
    problems,
    run_case,
)
from tests.faults.server import Certificates


def _param(case: Case) -> object:
    engine = expected(case).engine
    marks = [pytest.mark.xfail(reason=f"engine: {engine}", strict=True)] if engine else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.fixture(scope="session")
def matrix(
    request: pytest.FixtureRequest, ca: trustme.CA, ca_bundle: str
) -> dict[str, Result | str]:
    """Run every selected case at once, in parallel; their results by case id."""
    selected = [
        item.callspec.params["case"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_check_handles_the_fault"
    ]
    certificates = Certificates(ca)

    def run(case: Case) -> Result | str:
        try:
            return run_case(case, certificates, ca_bundle)
        except Exception as exc:  # one broken case must not take the others with it
            return f"the case could not be run: {exc!r}"

    with ThreadPoolExecutor(WORKERS) as pool:
        results = dict(zip([c.id for c in selected], pool.map(run, selected), strict=True))
    for result in results.values():
        if isinstance(result, Result):
            COLLECTOR.results[result.case.id] = result
    return results


@pytest.mark.timeout(900)  # the first test waits for the whole matrix
@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_check_handles_the_fault(case: Case, matrix: dict[str, Result | str]) -> None:
    result = matrix[case.id]
    if isinstance(result, str):
        pytest.fail(result)
    found = problems(result)
    assert not found, "\n".join(found)
