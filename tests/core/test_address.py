"""Whatever an admin pastes as the Halo address gives the address to use, or says why it cannot."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.core.address import HostAddress, HostInvalid, normalise_host, normalise_url


@pytest.mark.parametrize(
    "pasted",
    [
        "acme.halopsa.com",
        "https://acme.halopsa.com",
        "HTTPS://ACME.HaloPSA.com/",
        " https://acme.halopsa.com/api ",
        "https://acme.halopsa.com/auth/",
        "https://acme.halopsa.com/portal/",
        "acme.halopsa.com/api/swagger/index.html?x=1#top",
        '"https://acme.halopsa.com"',
        "<https://acme.halopsa.com>",
        "\u201chttps://acme.halopsa.com\u201d",
        "http://acme.halopsa.com",
        "https://acme.halopsa.com:443",
        "acme.halopsa.com.",
        "https:/acme.halopsa.com",
        "https://acme.halopsa.com\\api",
        "\ufeffhttps://acme.halopsa.com",
        "acme.halopsa.com\u200b",
        "\u00a0https://acme.halopsa.com/\u00a0",
        "\u200eacme.halo\u00adpsa.com\u200f",
        "\u201e\u202ahttps://acme.halopsa.com\u202c\u201c",
    ],
)
def test_every_usual_paste_gives_the_agent_web_app(pasted: str) -> None:
    assert normalise_host(pasted).url == "https://acme.halopsa.com"


def test_what_was_changed_is_said() -> None:
    notes = " ".join(normalise_host("http://acme.halopsa.com/portal").notes)
    assert "https://" in notes and "portal" in notes


def test_invisible_characters_removed_from_the_address_are_named() -> None:
    (note, *_) = normalise_host("acme.halopsa.com\u200b").notes
    assert note == (
        "Removed a zero-width space after acme.halopsa.com, which cannot be part of an address."
    )
    assert normalise_url("https://acme.halopsa.com/auth\u200b/") == "https://acme.halopsa.com/auth"


def test_an_address_of_nothing_but_invisible_characters_is_no_address() -> None:
    with pytest.raises(HostInvalid, match="No address"):
        normalise_host("\u200b\ufeff\u00a0")


def test_a_port_is_kept() -> None:
    assert normalise_host("halo.example.org:8443/auth").url == "https://halo.example.org:8443"


def test_plain_http_is_kept_only_when_typed_for_loopback() -> None:
    assert normalise_host("http://127.0.0.1:8080").url == "http://127.0.0.1:8080"
    assert normalise_host("http://localhost:8080/api").url == "http://localhost:8080"
    assert normalise_host("localhost:8080").url == "https://localhost:8080"
    assert normalise_host("http://10.0.0.5").url == "https://10.0.0.5"


def test_ipv6_and_international_names() -> None:
    assert normalise_host("http://[::1]:9000/").url == "http://[::1]:9000"
    assert normalise_host("halo.bücher.example").host == "halo.xn--bcher-kva.example"


def test_product_is_recognised_from_the_domain() -> None:
    assert normalise_host("acme.haloitsm.com").product_hint == "HaloITSM"
    assert normalise_host("acme.haloservicedesk.com").product_hint == "HaloServiceDesk"
    assert normalise_host("psa.example.com").product_hint is None


@pytest.mark.parametrize(
    ("pasted", "said"),
    [
        ("", "No address"),
        ("   ", "No address"),
        ("ftp://acme.halopsa.com", "ftp://"),
        ("acme halopsa.com", "spaces"),
        ("acme..halopsa.com", "two dots"),
        ("-acme.halopsa.com", "dash"),
        ("acme.halopsa.com:99999", "port"),
        ("acme.halopsa.com:http", "port"),
        ("999.1.1.1", "IP address"),
        ("https://", "no host"),
        ("acme_corp.halopsa.com", "acme_corp"),
    ],
)
def test_what_cannot_be_a_host_is_refused_with_the_reason(pasted: str, said: str) -> None:
    with pytest.raises(HostInvalid) as error:
        normalise_host(pasted)
    assert said.lower() in str(error.value).lower()


def test_auth_url_keeps_its_path_but_not_the_trailing_slash() -> None:
    assert normalise_url("https://uk-trial.halopsa.com/") == "https://uk-trial.halopsa.com"
    assert normalise_url("acme.halopsa.com/auth/") == "https://acme.halopsa.com/auth"


@settings(max_examples=600, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_an_address_or_host_invalid(text: str) -> None:
    try:
        address = normalise_host(text)
    except HostInvalid as error:
        assert str(error)
        return
    assert isinstance(address, HostAddress)
    assert address.url.startswith(("https://", "http://"))
    assert normalise_host(address.url).url == address.url


_label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(
    labels=st.lists(_label, min_size=2, max_size=4),
    scheme=st.sampled_from(["", "https://", "HTTPS://", "http://"]),
    suffix=st.sampled_from(["", "/", "/api", "/auth/", "/portal/", "/api?x=1", "#frag"]),
    wrap=st.sampled_from(["{}", " {} ", '"{}"', "'{}'\n"]),
)
def test_pasted_variants_of_a_real_host_normalise_to_it(
    labels: list[str], scheme: str, suffix: str, wrap: str
) -> None:
    host = ".".join(labels)
    if all(part.isdigit() for part in labels):
        return  # looks like an IP address; covered elsewhere
    address = normalise_host(wrap.format(f"{scheme}{host}{suffix}"))
    assert address.url == f"https://{host}"
