"""A check report as readable text: the steps with their outcome, then each finding with its fix."""

from __future__ import annotations

from collections.abc import Sequence

from wizard.core import messages
from wizard.core.findings import Finding, Severity, by_severity
from wizard.core.messages import Front
from wizard.core.model import CheckReport, ScopeStatus, StepStatus

_RESET = "\033[0m"
_STYLE = {
    "ok": "\033[32m",
    "warning": "\033[33m",
    "error": "\033[31m",
    "info": "\033[36m",
    "dim": "\033[2m",
    "bold": "\033[1m",
}
_MARKS_UNICODE = {
    StepStatus.OK: ("\u2714", "ok"),
    StepStatus.WARNING: ("!", "warning"),
    StepStatus.FAILED: ("\u2718", "error"),
    StepStatus.SKIPPED: ("-", "dim"),
    StepStatus.RUNNING: ("\u2026", "dim"),
}
_MARKS_ASCII = {
    StepStatus.OK: ("OK", "ok"),
    StepStatus.WARNING: ("!!", "warning"),
    StepStatus.FAILED: ("XX", "error"),
    StepStatus.SKIPPED: ("--", "dim"),
    StepStatus.RUNNING: ("..", "dim"),
}
_SEVERITY_WORD = {Severity.ERROR: "Problem", Severity.WARNING: "Warning", Severity.INFO: "Note"}
_SEVERITY_STYLE = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


def render(
    report: CheckReport,
    *,
    colour: bool = False,
    unicode: bool = True,
    front: Front = Front.COMMAND_LINE,
) -> str:
    """The report as text lines; colour uses ANSI escapes, unicode=False keeps to ASCII.
    Each fix is in `front`'s words (the window's report names its pages)."""

    def paint(text: str, style: str) -> str:
        return f"{_STYLE[style]}{text}{_RESET}" if colour else text

    marks = _MARKS_UNICODE if unicode else _MARKS_ASCII
    lines: list[str] = []
    title = "Halo connection check"
    if report.host:
        title += f": {report.host}"
    lines.append(paint(title, "bold"))
    facts = [
        ("Product", " ".join(p for p in (report.product, report.version) if p)),
        ("Tenant", report.tenant or ("none (on-premise)" if report.product else "")),
        ("Token URL", report.token_url or ""),
    ]
    for name, value in facts:
        if value:
            lines.append(f"  {name + ':':<11}{value}")
    for note in report.address_notes:
        lines.append(paint(f"  {note}", "dim"))
    lines.append("")

    for step in report.steps:
        mark, style = marks[step.status]
        summary = f"  {step.summary}" if step.summary else ""
        lines.append(f"  {paint(mark.ljust(2), style)} {step.label:<28}{summary}".rstrip())
    lines.append("")

    ordered = by_severity(report.findings)
    for number, finding in enumerate(ordered, 1):
        lines.extend(_render_finding(number, finding, paint, front))
        lines.append("")

    kind, sentence = result_sentence(report)
    lines.append(paint(f"Result: {sentence[:1].lower()}{sentence[1:]}", kind))
    return "\n".join(lines) + "\n"


def _render_finding(
    number: int, finding: Finding, paint: object, front: Front = Front.COMMAND_LINE
) -> list[str]:
    assert callable(paint)
    word = _SEVERITY_WORD[finding.severity]
    head = paint(f"{number}. {word}: {finding.title}", _SEVERITY_STYLE[finding.severity])
    lines = [f"{head}  {paint('[' + finding.code + ']', 'dim')}"]
    lines.extend(_wrap(finding.detail, "   "))
    fix = finding.fix_for(front)
    if fix:
        lines.append(f"   {finding.fix_heading}")
        for index, step in enumerate(fix, 1):
            lines.extend(_wrap(step, f"     {index}. ", "        "))
    if finding.link:
        lines.append(f"   Open in Halo: {finding.link}")
    return lines


def _wrap(text: str, first: str, rest: str | None = None, width: int = 88) -> list[str]:
    rest = first if rest is None else rest
    words = text.split()
    lines: list[str] = []
    current = first
    for word in words:
        if len(current) + len(word) + 1 > width and current.strip():
            lines.append(current.rstrip())
            current = rest
        current += word + " "
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _names(titles: Sequence[str], shown: int = 3) -> str:
    named = list(dict.fromkeys(titles))
    if len(named) > shown:
        named = [*named[:shown], messages.RESULT_MORE.format(count=len(named) - shown)]
    return "; ".join(named)


# The verdict is one short sentence: a headline, and the command line's last line.
HEADLINE_LIMIT = 120


def _short(sentence: str, shorter: str) -> str:
    return sentence if len(sentence) <= HEADLINE_LIMIT else shorter


def _verdict_parts(
    report: CheckReport, extra_warnings: Sequence[str]
) -> tuple[list[str], list[str], list[str], list[str]]:
    """(problems, warnings, areas without records, edit scopes granted but not tried)."""
    ordered = by_severity(report.findings)
    errors = [f.title for f in ordered if f.severity is Severity.ERROR]
    warnings = [*(f.title for f in ordered if f.severity is Severity.WARNING), *extra_warnings]
    empty = [s.scope for s in report.scopes if s.status is ScopeStatus.EMPTY]
    areas = list(dict.fromkeys(scope.partition(":")[2] or scope for scope in empty))
    untried = [s.scope for s in report.scopes if s.status is ScopeStatus.GRANTED]
    return errors, warnings, areas, untried


def result_sentence(report: CheckReport, extra_warnings: Sequence[str] = ()) -> tuple[str, str]:
    """("ok" | "warning" | "error", the one short sentence that sums up `report`).

    The verdict alone, in at most HEADLINE_LIMIT characters: it says what was verified and
    nothing more (a connection whose edit: scopes were granted but never tried works "for
    reading"; one that sees no records is not said to work), and counts the problems and
    warnings; one problem is named when the sentence stays short. The rest is in
    `result_details` and the findings. `extra_warnings` are the titles of warnings the
    caller found besides the report's.
    """
    errors, warnings, areas, untried = _verdict_parts(report, extra_warnings)
    if errors:
        count = len(errors)
        counted = messages.RESULT_PROBLEMS.format(count=count, s="" if count == 1 else "s")
        if count == 1:
            return "error", _short(messages.RESULT_PROBLEM.format(name=errors[0]), counted)
        return "error", counted
    if areas:
        # "Works" only where records came back: a connection that sees nothing is not said
        # to work; the findings below say why and what to do.
        named = messages.RESULT_NO_RECORDS.format(areas=" or ".join(areas))
        counted = messages.RESULT_NO_RECORDS_COUNTED.format(count=len(areas))
        return "warning", _short(named, counted)
    works = messages.RESULT_WORKS_READING if untried else messages.RESULT_WORKS
    if warnings:
        count = len(warnings)
        sentence = messages.RESULT_WARNINGS.format(
            works=works, count=count, s=" is" if count == 1 else "s are"
        )
        return "warning", sentence
    return "ok", works + "."


def result_details(report: CheckReport, extra_warnings: Sequence[str] = ()) -> list[str]:
    """What the verdict's sentence leaves out, a sentence each: the problems or warnings by
    name, the areas without records, the edit: scopes granted but not tried."""
    errors, warnings, areas, untried = _verdict_parts(report, extra_warnings)
    sentence = result_sentence(report, extra_warnings)[1]
    details: list[str] = []
    if errors:
        if sentence != messages.RESULT_PROBLEM.format(name=errors[0]):
            details.append(messages.RESULT_PROBLEM_NAMES.format(names=_names(errors)))
        return details
    if areas and sentence != messages.RESULT_NO_RECORDS.format(areas=" or ".join(areas)):
        details.append(messages.RESULT_NO_RECORDS_NAMES.format(areas=", ".join(areas)))
    if warnings:
        details.append(messages.RESULT_WARNING_NAMES.format(names=_names(warnings)))
    if untried:
        details.append(messages.RESULT_NOT_TRIED.format(scopes=", ".join(untried)))
    return details
