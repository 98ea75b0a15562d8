"""Each front end in its own words: a fix names only places that exist where it is read. The
window names its pages, the command line its options and commands; neither names the
other's."""

from __future__ import annotations

import re

import pytest

from wizard.core import messages
from wizard.core.findings import Finding, Severity
from wizard.core.messages import Front

WINDOW_ONLY = (
    "address page",
    "Client ID page",
    "Client ID and secret page",
    "Find your Halo page",
    "Create the API application",
    "Open the connection",
    "under Advanced",
    "the wizard",
)
COMMAND_LINE_ONLY = ("halo-wizard", "HALO_CLIENT_SECRET", "halo-public-key.pem")
# An option: two dashes and a word, not the dashes of -----BEGIN PUBLIC KEY-----.
OPTION = re.compile(r"(?<![\w-])--[a-z]")


def finding(code: str) -> Finding:
    template = messages.FINDINGS[code]
    return Finding(code, Severity(template.severity), "read:tickets")


@pytest.mark.parametrize("code", sorted(messages.FINDINGS))
def test_a_fix_names_only_the_places_of_the_front_end_it_is_read_in(code: str) -> None:
    window = " ".join(finding(code).fix_for(Front.WINDOW))
    command_line = " ".join(finding(code).fix_for(Front.COMMAND_LINE))
    for words in COMMAND_LINE_ONLY:
        assert words not in window, (code, words)
    assert not OPTION.search(window), (code, window)
    for words in WINDOW_ONLY:
        assert words not in command_line, (code, words)


def test_a_wrong_secret_is_fixed_where_each_front_end_takes_it() -> None:
    refused = finding("INVALID_CLIENT")
    window = refused.fix_for(Front.WINDOW)[-1]
    command_line = refused.fix_for(Front.COMMAND_LINE)[-1]
    assert "Client ID and secret page" in window
    assert "I generated a new secret in Halo" in window
    assert "--client-id" in command_line and "HALO_CLIENT_SECRET" in command_line
    assert "diagnose --profile NAME --rotate-secret" in command_line
    # The JSON and the text report are the command line's.
    assert refused.fix == refused.fix_for(Front.COMMAND_LINE)
    assert refused.to_dict()["fix"][-1] == command_line


def test_a_mistyped_address_is_corrected_where_it_was_typed() -> None:
    missing = finding("DNS_FAILED")
    assert "correct it on the Halo address page" in missing.fix_for(Front.WINDOW)[0]
    assert "run the check again with the corrected --host" in missing.fix_for(Front.COMMAND_LINE)[0]
