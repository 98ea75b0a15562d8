"""How answers that no simulator scenario can give (a real Halo cloud domain) are explained.

Judged without a network: the judge is given the answer a real Halo would send.
"""

from __future__ import annotations

from wizard.core.address import normalise_host
from wizard.core.http import Response
from wizard.core.judges import judge_not_halo


def _explain(host: str, response: Response) -> list[tuple[str, str]]:
    verdict = judge_not_halo(normalise_host(host), response, response, 10.0, {})
    assert verdict.failed
    return [(f.code, f.detail) for f in verdict.findings]


def test_mistyped_hosted_instance_name_is_called_a_typo() -> None:
    answer = Response(
        url="https://acmee.halopsa.com/api/authinfo", status=500, headers={}, body=b""
    )
    ((code, detail),) = _explain("acmee.halopsa.com", answer)
    assert code == "NOT_HALO"
    assert "mistyped" in detail and ".halopsa.com" in detail


def test_server_error_on_an_own_domain_is_a_server_error() -> None:
    answer = Response(
        url="https://halo.example.org/api/authinfo",
        status=503,
        headers={},
        body=b"Service Unavailable",
    )
    ((code, detail),) = _explain("halo.example.org", answer)
    assert code == "SERVER_ERROR" and "Service Unavailable" in detail


def test_redirect_names_where_it_goes() -> None:
    answer = Response(
        url="https://psa.example.com/api/authinfo",
        status=302,
        headers={"location": "https://login.example.com/sso"},
        body=b"",
    )
    ((code, detail),) = _explain("psa.example.com", answer)
    assert code == "NOT_HALO" and "https://login.example.com/sso" in detail


def test_rate_limit_on_discovery_is_not_called_a_wrong_address() -> None:
    answer = Response(
        url="https://acme.halopsa.com/api/authinfo",
        status=429,
        headers={"retry-after": "30"},
        body=b"Rate Limit Reached - 300 Requests per rolling 5 minute window",
    )
    ((code, detail),) = _explain("acme.halopsa.com", answer)
    assert code == "RATE_LIMITED" and "30 seconds" in detail
