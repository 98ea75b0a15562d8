"""Findings: every outcome of a check, with a stable code, a plain-English cause and a fix."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from wizard.core import messages


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One thing the check found: what happened, why, and which clicks fix it."""

    code: str
    severity: Severity
    title: str
    detail: str
    fix: tuple[str, ...] = ()
    scope: str | None = None
    # A page of the admin's Halo instance where the fix is made, when one can be named.
    link: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": str(self.severity),
            "title": self.title,
            "detail": self.detail,
            "fix": list(self.fix),
        }
        if self.scope is not None:
            data["scope"] = self.scope
        if self.link is not None:
            data["link"] = self.link
        return data


class Fill(dict[str, Any]):
    """Formatting context where a missing value reads as a neutral word, never a KeyError."""

    def __missing__(self, key: str) -> str:
        return str(messages.DEFAULT_CONTEXT.get(key, "(unknown)"))


def make(
    code: str,
    context: Mapping[str, Any] | None = None,
    *,
    scope: str | None = None,
    link: str | None = None,
    halo_said: str | None = None,
    severity: Severity | None = None,
    **values: Any,
) -> Finding:
    """Build the finding for `code`, worded with what is known (`context` and `values`)."""
    template = messages.FINDINGS[code]
    ctx = Fill({**(context or {}), **values})
    if scope is not None:
        ctx.setdefault("scope", scope)
    detail = template.detail.format_map(ctx)
    if halo_said:
        detail = f"{detail} {messages.HALO_SAID.format(text=halo_said)}"
    return Finding(
        code=code,
        severity=severity or Severity(template.severity),
        title=template.title.format_map(ctx),
        detail=detail,
        fix=tuple(step.format_map(ctx) for step in template.fix),
        scope=scope,
        link=link,
    )


def by_severity(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notes; the order found is kept within each."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


ALL_CODES: tuple[str, ...] = tuple(messages.FINDINGS)
