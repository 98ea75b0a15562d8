"""The documentation a supporter reads stays true to the code."""

from __future__ import annotations

import re
from pathlib import Path

from wizard.core import messages
from wizard.core.findings import ALL_CODES

ROOT = Path(__file__).resolve().parent.parent


def _documented() -> dict[str, str]:
    text = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    sections = re.split(r"^### ", text, flags=re.M)[1:]
    found = {}
    for section in sections:
        code = section.split("\n", 1)[0].strip()
        severity = re.search(r"Severity: `(\w+)`", section)
        assert severity, f"{code} has no severity in docs/findings.md"
        found[code] = severity.group(1)
    return found


def test_every_finding_code_is_documented_and_nothing_else() -> None:
    assert sorted(_documented()) == sorted(ALL_CODES)


def test_documented_severity_matches_the_code() -> None:
    for code, severity in _documented().items():
        assert messages.FINDINGS[code].severity == severity, code


def test_every_error_has_a_fix() -> None:
    for code, template in messages.FINDINGS.items():
        if template.severity == "error":
            assert template.fix, code


def test_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 run.py demo" in readme
    assert "python3 run.py test" in readme
