"""Diagnosing a saved connection: what changed between its recorded last test and now.

Pure: it compares a connection file's LastResult with a new CheckReport and returns one
change per difference, in the words a supporter reads (`{"what", "before", "now"}`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from wizard.core.connection_file import LastResult, RecordedIdentity
from wizard.core.findings import Finding
from wizard.core.model import CheckReport

# A scope status as a change shows it.
SCOPE_WORDS = {
    "ok": "records seen",
    "empty": "allowed, no records visible",
    "denied": "refused",
    "error": "no usable answer",
    "not_tested": "no read-only test exists",
    "granted": "granted, not tried",
}


@dataclass(frozen=True)
class Change:
    """One difference between the last test and now.

    `what`, `before` and `now` are words for people ("read:tickets", "records seen",
    "refused"); `kind` and the values are for scripts, in the JSON's own terms: the result
    as `ok` (true, false), a scope's status as its `status` ("ok", "denied"), a finding by
    its code with its severity and scope.
    """

    what: str
    before: str | None
    now: str | None
    # "result", "version", "tenant", "auth_url", "identity", "scope" or "finding".
    kind: str = "finding"
    before_value: str | bool | None = None
    now_value: str | bool | None = None
    scope: str | None = None
    code: str | None = None
    severity: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "what": self.what,
            "before": self.before,
            "now": self.now,
            "before_value": self.before_value,
            "now_value": self.now_value,
            "scope": self.scope,
            "code": self.code,
            "severity": self.severity,
        }

    def sentence(self) -> str:
        """The change as one line: "read:tickets: records seen → refused"."""
        return f"{self.what}: {self.before or 'none'} → {self.now or 'none'}"


def _result_word(ok: bool) -> str:
    return "works" if ok else "has problems"


def _identity_text(identity: RecordedIdentity | None) -> str | None:
    if identity is None or identity.kind is None:
        return None
    if identity.kind == "agent":
        name = identity.name or "an agent"
        api = ""
        if identity.api_only is not None:
            api = ", API-only" if identity.api_only else ", not API-only"
        return f"agent {name}{api}"
    return "the application itself"


def _now_identity(report: CheckReport) -> RecordedIdentity | None:
    who = report.identity
    if who is None:
        return None
    return RecordedIdentity(who.kind, who.name, who.id, who.api_only)


def _finding_label(code: str, scope: str | None) -> str:
    return f"{code} ({scope})" if scope else code


def changes(last: LastResult | None, report: CheckReport) -> list[Change]:
    """Every difference between `last` (the recorded test) and `report` (now).

    None when there was no recorded test: nothing to compare. Compared: the overall
    result, the product version, the tenant, the auth URL, the identity, each scope's
    status, and the findings that appeared or went away (by code and scope).
    """
    if last is None:
        return []
    found: list[Change] = []

    def differs(
        kind: str,
        what: str,
        before: str | None,
        now: str | None,
        values: tuple[str | bool | None, str | bool | None] | None = None,
        scope: str | None = None,
    ) -> None:
        if (before or None) != (now or None):
            before_value, now_value = values if values else (before or None, now or None)
            found.append(
                Change(what, before or None, now or None, kind, before_value, now_value, scope)
            )

    differs(
        "result", "result", _result_word(last.ok), _result_word(report.ok), (last.ok, report.ok)
    )
    if report.version is not None or report.product is not None:
        differs(
            "version",
            "product version",
            " ".join(p for p in (last.product, last.version) if p) or None,
            " ".join(p for p in (report.product, report.version) if p) or None,
        )
    if report.tenant is not None or report.auth_url is not None:
        # Discovery got far enough to say; otherwise "now" is unknown, not "none".
        differs("tenant", "tenant", last.tenant, report.tenant)
        differs("auth_url", "auth URL", last.auth_url, report.auth_url)
    now_identity = _now_identity(report)
    if now_identity is not None and now_identity.kind is not None:
        # What Halo did not say this time (a rate-limited /api/Agent/me gives no name) is
        # unknown, not changed: only what both tests know is compared.
        before_identity = last.identity
        if before_identity is not None and before_identity.kind == now_identity.kind:
            if now_identity.name is None or before_identity.name is None:
                before_identity = replace(before_identity, name=None)
                now_identity = replace(now_identity, name=None)
            if now_identity.api_only is None or before_identity.api_only is None:
                before_identity = replace(before_identity, api_only=None)
                now_identity = replace(now_identity, api_only=None)
        differs(
            "identity",
            "identity",
            _identity_text(before_identity),
            _identity_text(now_identity),
            (
                before_identity.kind if before_identity is not None else None,
                now_identity.kind,
            ),
        )
    before_scopes = {s.scope: s.status.value for s in last.scopes}
    now_scopes = {s.scope: s.status.value for s in report.scopes}
    for scope in dict.fromkeys([*before_scopes, *now_scopes]):
        old, new = before_scopes.get(scope), now_scopes.get(scope)
        if old != new and (new is not None or report.scopes):
            differs(
                "scope",
                scope,
                SCOPE_WORDS.get(old, old) if old else "not tested",
                SCOPE_WORDS.get(new, new) if new else "not tested",
                (old, new),
                scope,
            )
    if last.complete:
        old_keys = {f.key for f in last.findings}
        new_keys = {f.key for f in report.findings}
        for finding in report.findings:
            if finding.key not in old_keys and finding.severity != "info":
                found.append(_new_finding(finding.code, finding.scope, str(finding.severity)))
        for recorded in last.findings:
            if recorded.key not in new_keys and recorded.severity != "info":
                found.append(_gone(recorded.code, recorded.scope, str(recorded.severity)))
    else:
        # An early file kept only codes, without their scope.
        old_codes = {f.code for f in last.findings}
        new_findings = {f.code: f for f in report.findings if f.severity != "info"}
        for code in sorted(set(new_findings) - old_codes):
            found.append(_new_finding(code, None, str(new_findings[code].severity)))
        for code in sorted(old_codes - {f.code for f in report.findings}):
            found.append(_gone(code, None, None))
    return _unique(found)


def _new_finding(code: str, scope: str | None, severity: str | None) -> Change:
    label = _finding_label(code, scope)
    return Change("new finding", None, label, "finding", None, code, scope, code, severity)


def _gone(code: str, scope: str | None, severity: str | None) -> Change:
    label = _finding_label(code, scope)
    return Change("finding gone", label, None, "finding", code, None, scope, code, severity)


def _unique(found: Iterable[Change]) -> list[Change]:
    return list(dict.fromkeys(found))


def new_findings(last: LastResult | None, report: CheckReport) -> list[Finding]:
    """The findings of `report` that the last test did not have (all of them without one)."""
    if last is None:
        return list(report.findings)
    old = {f.key for f in last.findings} if last.complete else set()
    old_codes = {f.code for f in last.findings}
    return [
        f
        for f in report.findings
        if (f.key not in old if last.complete else f.code not in old_codes)
    ]
