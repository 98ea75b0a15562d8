"""Every connection file the wizard or `check --save` writes opens again with the same values:
a property over generated connections (reports as a check makes them, every secret store,
identities chosen and reported, any text Halo may put in its answers)."""

from __future__ import annotations

import secrets
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.core.connection_file import AssertionEntry, ConnectionFile
from wizard.core.findings import ALL_CODES, Severity, make
from wizard.core.model import CheckReport, Identity, ScopeResult, ScopeStatus
from wizard.core.scopes import is_known

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text as Halo or an admin may supply it: any Unicode a JSON file can hold.
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
hosts = st.sampled_from(
    [
        "https://acme.halopsa.com",
        "https://support.northwind.example",
        "https://itsm.acme.example:8443",
        "https://[::1]:4443",
    ]
)
scope_names = st.sampled_from(
    ["read:tickets", "edit:tickets", "read:customers", "read:assets", "all", "admin"]
)
identities = st.one_of(
    st.none(),
    st.builds(
        Identity,
        kind=st.sampled_from(["agent", "application"]),
        name=st.one_of(st.none(), texts),
        id=st.one_of(st.none(), st.integers(0, 2**31)),
        api_only=st.one_of(st.none(), st.booleans()),
    ),
)


@st.composite
def reports(draw: st.DrawFn) -> CheckReport:
    host = draw(hosts)
    tenant = draw(st.one_of(st.none(), st.sampled_from(["acme", "SimTrial42", "northwindit"])))
    auth = draw(st.sampled_from([f"{host}/auth", "https://uk-trial.halopsa.com"]))
    requested = draw(st.lists(scope_names, min_size=1, max_size=5, unique=True))
    findings = [
        make(code, {}, scope=draw(st.one_of(st.none(), st.sampled_from(requested))))
        for code in draw(st.lists(st.sampled_from(sorted(ALL_CODES)), max_size=6, unique=True))
    ]
    return CheckReport(
        host=host,
        product=draw(st.one_of(st.none(), st.sampled_from(["Halo PSA", "Halo ITSM"]))),
        version=draw(st.one_of(st.none(), st.just("2.236.133"))),
        tenant=tenant,
        auth_url=auth,
        token_url=f"{auth}/token" + (f"?tenant={tenant}" if tenant else ""),
        requested_scopes=requested,
        identity=draw(identities),
        scopes=[
            ScopeResult(
                scope,
                draw(st.sampled_from(list(ScopeStatus))),
                draw(st.one_of(st.none(), st.integers(0, 10**6))),
            )
            for scope in requested
        ],
        findings=findings,
        started_at=draw(st.sampled_from(["2026-12-01T21:27:05+00:00", None])),
    )


@PROPERTY
@given(
    report=reports(),
    store=st.sampled_from(["keychain", "file", "none"]),
    chosen=st.sampled_from([None, "agent", "application"]),
    key_store=st.sampled_from([None, "keychain", "file", "none"]),
    audience=st.one_of(st.none(), texts),
)
def test_a_written_connection_file_reads_back_with_the_same_values(
    report: CheckReport, store: str, chosen: str | None, key_store: str | None, audience: str | None
) -> None:
    client_id = str(uuid.uuid4())
    secret = f"{uuid.uuid4()}-{secrets.token_hex(8)}"
    assertion = None
    if key_store == "keychain":
        assert report.host is not None
        assertion = AssertionEntry.keychain(report.host, client_id, audience=audience)
    elif key_store is not None:
        path = "/home/admin/keys/halo-private-key.pem" if key_store == "file" else None
        assertion = AssertionEntry(key_store, path, audience=audience)
    if assertion is not None:
        store = "none"  # a connection that signs assertions keeps no secret
    written = ConnectionFile.from_report(
        report,
        client_id=client_id,
        identity_kind=chosen,
        scopes=report.requested_scopes,
        secret=secret if store == "file" else None,
        secret_in_keychain=store == "keychain",
        assertion=assertion,
    )
    read = ConnectionFile.from_bytes(written.to_json())
    assert read == written
    assert read.auth_method == ("jwt_assertion" if assertion else "client_secret")
    # And what it holds is what the check found.
    assert read.host == report.host and read.client_id == client_id
    assert read.tenant == report.tenant and read.token_url == report.token_url
    assert read.scopes == tuple(report.requested_scopes)
    last = read.last_result
    assert last is not None and last.ok == report.ok
    assert [f.key for f in last.findings] == [f.key for f in report.findings]
    assert [(s.scope, s.status) for s in last.scopes] == [
        (s.scope, s.status) for s in report.scopes
    ]
    if report.identity is not None:
        assert read.identity.kind == report.identity.kind
        assert read.identity.name == report.identity.name
        if chosen and chosen != report.identity.kind:
            assert read.identity.chosen == chosen
    assert (secret in written.to_json().decode("utf-8")) == (store == "file")
    assert all(is_known(s) for s in read.scopes)
    assert all(f.severity in tuple(Severity) for f in last.findings)
