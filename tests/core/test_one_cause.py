"""One cause gives one problem, and every finding names the product's menus alike."""

from __future__ import annotations

import uuid

from tests.conftest import HaloFactory, check
from wizard.core.messages import Front


def test_the_client_id_pasted_as_the_secret_is_one_problem_named_once(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    report = check(halo, ca_bundle, client_secret=str(uuid.uuid4()))
    assert not report.ok
    assert "SECRET_LOOKS_LIKE_CLIENT_ID" in report.codes()
    assert "INVALID_CLIENT" not in report.codes()
    (finding,) = [f for f in report.findings if f.code == "SECRET_LOOKS_LIKE_CLIENT_ID"]
    assert "Client ID and secret page" in finding.fix_for(Front.WINDOW)[-1]
    assert "HALO_CLIENT_SECRET" in finding.fix[-1]


def test_findings_made_before_discovery_name_the_product_discovery_found(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    report = check(halo, ca_bundle, client_secret=str(uuid.uuid4()))
    words = " ".join(" ".join((f.title, f.detail, *f.fix)) for f in report.findings)
    assert "HaloPSA API" in words
    assert "Halo API" not in words.replace("HaloPSA API", "")
