"""Make the replay fixtures in tests/replays/ from the simulated Halo, with `check --record`.

    .venv/bin/python -m tests.replays.make            # every fixture whose scenario exists
    .venv/bin/python -m tests.replays.make trial ...  # only these fixtures

Each fixture is a real check of the simulator over TLS, recorded as an admin's would be;
the trace holds the findings it gave ("result"), which tests/sim/test_replay.py expects
again from its replay. A fixture whose scenario the simulator does not have (yet) is
skipped and named. Run it again after a change to the simulator or to the trace format, and
review the diff: a changed "result" is a changed verdict.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path
from ssl import SSLContext

HERE = Path(__file__).resolve().parent
DEFAULT_SCOPES = "read:tickets read:customers read:assets"
TIMEOUT = "5"

# name: (scenario, scopes, what the fixture shows)
FIXTURES: dict[str, tuple[str, str, str]] = {
    "openid-names-for-all": (
        "healthy",
        "all",
        "a token answer for all listing the OpenID names and the named scopes it stands for",
    ),
    "all-said-as-all": ("all_kept_as_all", "all", "a token answer for all that says all"),
    "scopeless-token-401-403": (
        "no_scope_token_mixed",
        DEFAULT_SCOPES,
        "a token without scopes, refused with 401 by some areas and 403 by others",
    ),
    "rate-limited-without-retry-after": (
        "rate_limited",
        DEFAULT_SCOPES,
        "429 with Halo's text and no Retry-After, every time",
    ),
    "record-counts": (
        "healthy",
        "read:tickets read:customers read:assets read:kb read:timesheets read:invoices",
        "record_count in listings, and a listing that is a bare array",
    ),
    "agent-sees-nothing": ("agent_sees_nothing", DEFAULT_SCOPES, "record_count 0 everywhere"),
    "scope-not-ticked": (
        "scope_not_ticked",
        DEFAULT_SCOPES,
        "scopes left out of the token, their areas refusing with 401 or 403",
    ),
    "agent-no-permission": ("agent_no_permission", DEFAULT_SCOPES, "403 from two areas"),
    "wrong-secret": ("wrong_secret", DEFAULT_SCOPES, "invalid_client with Halo's words"),
    "trial": ("trial", DEFAULT_SCOPES, "a sign-in server on another host, tenant required"),
    "application-identity": ("application_identity", DEFAULT_SCOPES, "no agent: 404"),
}


def make(name: str, ca_path: str, tls: SSLContext) -> Path | None:
    """Record fixture `name`; its path, or None when its scenario does not exist."""
    from wizard.cli import main
    from wizard.sim import SimulatedHalo
    from wizard.sim.scenarios import DEMO_SCENARIOS

    scenario, scopes, _shows = FIXTURES[name]
    if scenario not in DEMO_SCENARIOS:
        return None
    path = HERE / f"{name}.json"
    with SimulatedHalo(scenario, tls=tls, public_host="localhost") as halo:
        os.environ["HALO_CLIENT_SECRET"] = halo.client_secret
        argv = [
            "check", "--host", halo.url, "--client-id", halo.client_id, "--scopes", scopes,
            "--ca-bundle", ca_path, "--timeout", TIMEOUT, "--json",
            "--record", str(path), "--force",
        ]  # fmt: skip
        code = main(argv, stdin=io.StringIO(""), stdout=io.StringIO())
    if code not in (0, 1):
        raise SystemExit(f"{name}: check exited {code}")
    return path


def main(names: list[str]) -> int:
    from wizard.sim.tls import make_tls

    unknown = [name for name in names if name not in FIXTURES]
    if unknown:
        print(f"No such fixture: {', '.join(unknown)}. Known: {', '.join(FIXTURES)}")
        return 2
    tls, ca_path = make_tls()
    os.environ.setdefault("HALO_WIZARD_LOG_DIR", tempfile.mkdtemp(prefix="halo-wizard-log-"))
    skipped = []
    for name in names or list(FIXTURES):
        path = make(name, ca_path, tls)
        if path is None:
            skipped.append(f"{name} (scenario {FIXTURES[name][0]})")
        else:
            print(f"wrote {path.relative_to(HERE.parent.parent)}")
    if skipped:
        print(f"Skipped, their scenario does not exist yet: {', '.join(skipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
