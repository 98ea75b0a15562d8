"""The licences text: made from the installed distributions halo-wizard really needs."""

from __future__ import annotations

import importlib.metadata
import sys

from wizard.core import notices


def test_it_holds_pythons_licence_the_lgpl_and_each_distribution_needed() -> None:
    text = notices.live_text()
    python = notices.python_licence_text()
    assert python is not None, "this Python carries its LICENSE file"
    assert python.strip() in text
    assert "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in text
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "Version 3, 29 June 2007" in text
    assert "GNU GENERAL PUBLIC LICENSE" in text
    assert "Replacing Qt and PySide6" in text
    needed = notices.required_distributions()
    assert needed, "halo-wizard needs something"
    for distribution in needed:
        name, version = distribution.metadata["Name"], distribution.version
        assert f"{name} {version}" in text, name
        for _, licence in notices.licence_files(distribution):
            # Each of its licence files, whole (its lines as they are, trailing blanks aside).
            assert licence.strip() in text, name


def test_what_is_needed_follows_the_requirements_and_leaves_out_the_test_tools() -> None:
    names = {notices.canonical(d.metadata["Name"]) for d in notices.required_distributions()}
    # Named by halo-wizard itself, and one step further (PySide6's own shiboken6).
    assert {"pyside6-essentials", "shiboken6", "cryptography", "requests"} <= names
    assert "urllib3" in names  # required by requests as well as by halo-wizard
    # Installed here for the tests, needed by no part of the program.
    for tool in ("pytest", "hypothesis", "mypy", "ruff", "trustme"):
        importlib.metadata.distribution(tool)  # it is installed here ...
        assert tool not in names  # ... and still not listed
    assert "halo-wizard" not in names


def test_pyside_is_named_with_the_lgpl_it_is_used_under() -> None:
    pyside = notices.component_of(importlib.metadata.distribution("PySide6_Essentials"))
    assert pyside.version == importlib.metadata.version("PySide6_Essentials")
    assert "LGPL-3.0-only" in pyside.licence
    assert "GNU Lesser General Public License v3" in pyside.note


def test_the_text_is_the_same_twice_and_names_no_path_of_this_computer() -> None:
    first, second = notices.live_text(), notices.live_text()
    assert first == second
    assert sys.prefix not in first and sys.base_prefix not in first
    assert "\r" not in first
