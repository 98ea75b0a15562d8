"""How many answers a check waits for one after another (the critical path), for 10 scopes.

Every answer of the simulated Halo is delayed by L milliseconds. A check that makes its
requests one after another pays L once per request; one that overlaps them pays it once
per round. round trips = (time with latency L - time without) / L. The floor is 3:
discovery, token, then the probes and the identity together.

With --retest the check is a re-test of a saved connection (`diagnose`): it knows the
token address from the last test and asks for the token beside discovery, so the floor
is 2 (target <= 2.2).

    python bench/bench_rounds.py [--latency-ms 250] [--runs 5] [--retest]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wizard.core import CheckRequest, run_check_sync
from wizard.sim import SimulatedHalo, make_tls

SCOPES = (
    "read:tickets read:customers read:assets read:invoices read:items read:projects "
    "read:crm read:quotes read:contracts read:kb"
)


def timed_check(halo: SimulatedHalo, ca_bundle: str, known_token_url: str | None = None) -> float:
    request = CheckRequest(
        host=halo.url,
        client_id=halo.client_id,
        client_secret=halo.client_secret,
        scopes=SCOPES,
        ca_bundle=ca_bundle,
        known_token_url=known_token_url,
    )
    started = time.perf_counter()
    report = run_check_sync(request)
    elapsed = time.perf_counter() - started
    if not report.ok or "SAVED_TOKEN_URL_CHANGED" in report.codes():
        raise SystemExit(f"the check failed: {report.codes()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--latency-ms", type=int, default=250)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--retest", action="store_true", help="a re-test of a saved connection")
    args = parser.parse_args()
    tls, ca_bundle = make_tls()
    with SimulatedHalo(tls=tls, public_host="localhost") as halo:
        known = f"{halo.url}/auth/token?tenant={halo.tenant}" if args.retest else None

        def check() -> float:
            return timed_check(halo, ca_bundle, known)

        check()  # warm up imports and the first TLS setup
        baseline = statistics.median(check() for _ in range(args.runs))
        halo.latency_ms = args.latency_ms
        delayed = statistics.median(check() for _ in range(args.runs))
    latency = args.latency_ms / 1000
    rounds = (delayed - baseline) / latency
    floor, target = (2, 2.2) if args.retest else (3, 3.5)
    kind = "re-test of a saved connection" if args.retest else "first test"
    print(f"{kind}; scopes: 10, runs: {args.runs}, latency: {args.latency_ms} ms")
    print(f"median check without latency: {baseline * 1000:.0f} ms")
    print(f"median check with latency:    {delayed * 1000:.0f} ms")
    print(f"round trips on the critical path: {rounds:.2f} (floor {floor}, target <= {target})")


if __name__ == "__main__":
    main()
