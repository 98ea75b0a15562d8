"""Findings: every outcome of a check as data, worded from the catalogue when shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from wizard.core import messages


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One thing the check found, as data: its code, severity, scope and the facts it names.

    The words (title, detail and the steps of the fix) are rendered from the catalogue in
    messages.py when they are read, so judging needs no text and two results can be
    compared finding by finding by `key`.
    """

    code: str
    severity: Severity
    scope: str | None = None
    # A page of the admin's Halo instance where the fix is made, when one can be named.
    link: str | None = None
    # The values the catalogue's text is worded with (host, tenant, status, ...).
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # What Halo itself said about the problem, quoted after the detail.
    halo_said: str | None = None

    @property
    def key(self) -> tuple[str, str | None]:
        """What identifies this finding across two checks: (code, scope)."""
        return (self.code, self.scope)

    def _fill(self, front: messages.Front = messages.Front.COMMAND_LINE) -> Fill:
        # The places a fix names are the front end's own (a page, or an option).
        fill = Fill({**messages.FRONT_WORDS[front], **self.params})
        if self.scope is not None:
            fill.setdefault("scope", self.scope)
        return fill

    @property
    def title(self) -> str:
        return messages.FINDINGS[self.code].title.format_map(self._fill())

    @property
    def detail(self) -> str:
        detail = messages.FINDINGS[self.code].detail.format_map(self._fill())
        if self.halo_said:
            detail = f"{detail} {messages.HALO_SAID.format(text=self.halo_said)}"
        return detail

    @property
    def fix(self) -> tuple[str, ...]:
        """The steps of the fix, in the command line's words (its options and commands)."""
        return self.fix_for(messages.Front.COMMAND_LINE)

    def fix_for(self, front: messages.Front) -> tuple[str, ...]:
        """The steps of the fix in `front`'s words: the window names its pages, the command
        line its options; neither names the other's."""
        fill = self._fill(front)
        return tuple(step.format_map(fill) for step in messages.FINDINGS[self.code].fix)

    @property
    def fix_heading(self) -> str:
        """What the steps are called: the fix of a problem, or what to do about a note."""
        return (
            messages.NOTE_STEPS_HEADING if self.severity is Severity.INFO else messages.FIX_HEADING
        )

    def to_dict(self, front: messages.Front = messages.Front.COMMAND_LINE) -> dict[str, Any]:
        # The same keys always (docs/json.md): null where there is nothing to say.
        return {
            "code": self.code,
            "severity": str(self.severity),
            "scope": self.scope,
            "title": self.title,
            "detail": self.detail,
            "fix": list(self.fix_for(front)),
            "link": self.link,
        }


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
    """The finding for `code`, with the facts its text needs (`context` and `values`)."""
    template = messages.FINDINGS[code]
    return Finding(
        code=code,
        severity=severity or Severity(template.severity),
        scope=scope,
        link=link,
        params=MappingProxyType({**(context or {}), **values}),
        halo_said=halo_said,
    )


def by_severity(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notes; the order found is kept within each."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


ALL_CODES: tuple[str, ...] = tuple(messages.FINDINGS)
