"""What changed since the last test: only what both tests know is compared."""

from __future__ import annotations

from wizard.core.connection_file import LastResult, RecordedIdentity
from wizard.core.diagnose import changes
from wizard.core.model import CheckReport, Identity


def last_with(identity: RecordedIdentity) -> LastResult:
    report = CheckReport(host="https://acme.halopsa.com", tenant="acme")
    last = LastResult.from_report(report, tested_at="2026-12-01T10:00:00Z")
    return LastResult(**{**last.__dict__, "identity": identity})


def identity_changes(last: LastResult, now: Identity | None) -> list[tuple[str | None, ...]]:
    report = CheckReport(host="https://acme.halopsa.com", tenant="acme", identity=now)
    return [(c.before, c.now) for c in changes(last, report) if c.what == "identity"]


def test_an_identity_halo_did_not_give_this_time_is_not_a_change() -> None:
    last = last_with(RecordedIdentity("agent", "Integration API", 7, True))
    # /api/Agent/me was rate-limited: the kind is known, the name and API-only are not.
    assert identity_changes(last, Identity("agent")) == []
    assert identity_changes(last, None) == []
    # What is known and differs is a change.
    assert identity_changes(last, Identity("agent", "Jane Doe", 9, api_only=True)) == [
        ("agent Integration API, API-only", "agent Jane Doe, API-only")
    ]
    assert identity_changes(last, Identity("application")) == [
        ("agent Integration API, API-only", "the application itself")
    ]
