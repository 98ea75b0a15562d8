"""The simulated resource server: the read probes of each area and /api/Agent/me."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from . import replies
from .oauth import IssuedToken, token_opens
from .scenarios import Agent, Area, Scenario
from .server import RecordedRequest, Reply

UNPAGINATED_MAX = 50
DEFAULT_PAGE_SIZE = 50
HUGE_AGENT_BYTES = 3_000_000
_CLAIM_TEMPLATE = '{{"id":"claim-{:07d}","type":"feature_access","value":"tickets:read"}}'


def authorise(
    token: IssuedToken | None, scenario: Scenario, area: Area | None = None
) -> Reply | None:
    """401 unless the request carries a live token that has a scope and the API accepts; a
    token without any scope draws 403 instead from the areas the scenario says (seen: such
    a token gets 401 or 403, reference §10)."""
    if token is None or scenario.api_rejects_tokens:
        return replies.unauthorized()
    if token.scopes is None:
        if area is not None and area.scope_area in scenario.forbidden_when_scopeless:
            return replies.empty(403)
        return replies.unauthorized()
    return None


def probe(
    request: RecordedRequest, scenario: Scenario, area: Area, token: IssuedToken | None
) -> Reply:
    if area.scope_area == "tickets" and scenario.tickets_reply == "html":
        return replies.html(200, replies.SIGN_IN_PAGE)  # a proxy answers before Halo checks
    refused = authorise(token, scenario, area)
    if refused is not None:
        return refused
    assert token is not None and token.scopes is not None
    if not token_opens(token.scopes, area.scope_area):
        # Some areas answer 401 for a scope the token lacks, others 403 (reference §10).
        if area.scope_area in scenario.unauthorized_areas:
            return replies.unauthorized()
        return replies.empty(403)
    if area.scope_area in scenario.denied_areas:
        return replies.empty(403)
    if area.scope_area == "tickets" and scenario.tickets_reply == "server_error":
        return replies.json_reply(500, replies.DOTNET_EXCEPTION)
    return _records(request, scenario, area)


def _records(request: RecordedRequest, scenario: Scenario, area: Area) -> Reply:
    query = {key.lower(): value for key, value in request.query.items()}
    total = 0 if scenario.sees_nothing else area.record_count
    numbers: dict[str, int] = {}
    for name in ("page_size", "page_no", "count"):
        if name in query:
            try:
                numbers[name] = int(query[name])
            except ValueError:
                return replies.json_reply(400, {name: [f"The value '{query[name]}' is not valid."]})
    if query.get("pageinate", "").lower() == "true":
        size = max(0, numbers.get("page_size", DEFAULT_PAGE_SIZE))
        start = (max(1, numbers.get("page_no", 1)) - 1) * size
        ids = range(start + 1, min(total, start + size) + 1)
    else:
        count = numbers.get("count", UNPAGINATED_MAX)
        ids = range(1, min(total, max(0, count)) + 1)
    records = [_record(area, i) for i in ids]
    if area.key is None:
        return replies.json_reply(200, records)
    # count=N overrides the total: Halo answers record_count=N (seen, reference §10).
    stated = max(0, numbers["count"]) if "count" in numbers else total
    return replies.json_reply(200, {"record_count": stated, area.key: records})


def _record(area: Area, number: int) -> dict[str, Any]:
    if area.key == "tickets":
        return {"id": number, "summary": f"Sample {area.noun} {number}"}
    return {"id": number, "name": f"Sample {area.noun} {number}"}


def agent_me(scenario: Scenario, token: IssuedToken | None) -> Reply:
    refused = authorise(token, scenario)
    if refused is not None:
        return refused
    if scenario.agent is None:
        return replies.empty(404)  # the application identity is no agent
    if scenario.huge_agent:
        length, chunks = _huge_agent_body(scenario.agent)
        return Reply(200, chunks, {"Content-Type": "application/json; charset=utf-8"}, length)
    record = agent_record(scenario.agent)
    record["claims"] = [json.loads(_CLAIM_TEMPLATE.format(i)) for i in range(1, 41)]
    return replies.json_reply(200, record)


def agent_record(agent: Agent) -> dict[str, Any]:
    """The agent as Halo lists it, the identifying fields first."""
    first, _, last = agent.name.partition(" ")
    return {
        "id": agent.id,
        "name": agent.name,
        "email": agent.email,
        "isapiagent": agent.isapiagent,
        "is_admin": agent.is_admin,
        "isdisabled": False,
        "firstname": first,
        "surname": last,
        "initials": (first[:1] + last[:1]).upper(),
        "use": "agent",
        "roles": [{"id": i, "name": name} for i, name in enumerate(agent.roles, start=1)],
        "teams": [
            {"id": i, "name": name, "department_id": 1}
            for i, name in enumerate(agent.teams, start=1)
        ],
        "default_team_id": 1 if agent.teams else 0,
    }


def _huge_agent_body(agent: Agent) -> tuple[int, Iterator[bytes]]:
    """The length and chunks of a ~3 MB agent record, generated as it is sent."""
    head = json.dumps(agent_record(agent), separators=(",", ":"))[:-1] + ',"claims":['
    tail = "]}"
    item_length = len(_CLAIM_TEMPLATE.format(0))
    count = (HUGE_AGENT_BYTES - len(head) - len(tail)) // (item_length + 1)
    length = len(head) + count * item_length + (count - 1) + len(tail)

    def chunks() -> Iterator[bytes]:
        yield head.encode()
        batch = 1000
        for start in range(1, count + 1, batch):
            numbers = range(start, min(count, start + batch - 1) + 1)
            prefix = "," if start > 1 else ""
            yield (prefix + ",".join(_CLAIM_TEMPLATE.format(i) for i in numbers)).encode()
        yield tail.encode()

    return length, chunks()
