"""What each scenario of the simulated Halo simulates, as data, plus Halo's scopes and areas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# The resource areas that have read:/edit: scopes (reference §4).
SCOPE_AREAS: tuple[str, ...] = (
    "tickets", "calendar", "customers", "crm", "timesheets", "contracts", "suppliers",
    "items", "projects", "sales", "quotes", "sos", "pos", "invoices", "reporting",
    "software", "softwarelicensing", "kb", "assets", "distributionlists",
)  # fmt: skip

READ_EDIT_SCOPES: frozenset[str] = frozenset(
    f"{verb}:{area}" for verb in ("read", "edit") for area in SCOPE_AREAS
)

# Every scope name Halo accepts; anything else is invalid_scope (read:actions, read:sites...).
REAL_SCOPES: frozenset[str] = READ_EDIT_SCOPES | {
    "all", "all:standard", "all:teams", "admin", "admin:webhooks",
    "editMine:timesheets", "access:chat", "access:adpasswordreset",
}  # fmt: skip

# Scopes that open every read probe whatever the area.
WILDCARD_SCOPES: frozenset[str] = frozenset({"all", "all:standard"})


@dataclass(frozen=True)
class Area:
    """One probe endpoint: the scope area guarding it, its path and the list key of its answer."""

    scope_area: str
    path: str  # lower case, no trailing slash
    key: str | None  # None: the answer is a bare JSON array
    record_count: int
    noun: str  # names the sample records


AREAS: tuple[Area, ...] = (
    Area("tickets", "/api/tickets", "tickets", 137, "ticket"),
    Area("customers", "/api/client", "clients", 24, "customer"),
    Area("assets", "/api/asset", "assets", 311, "asset"),
    Area("invoices", "/api/invoice", "invoices", 58, "invoice"),
    Area("items", "/api/item", "items", 73, "item"),
    Area("projects", "/api/projects", "tickets", 12, "project"),
    Area("crm", "/api/opportunities", "tickets", 9, "opportunity"),
    Area("quotes", "/api/quotation", "quotes", 17, "quote"),
    Area("sos", "/api/salesorder", "salesorders", 6, "sales order"),
    Area("pos", "/api/purchaseorder", "purchaseorders", 11, "purchase order"),
    Area("contracts", "/api/clientcontract", "contracts", 19, "contract"),
    Area("suppliers", "/api/supplier", "suppliers", 8, "supplier"),
    Area("kb", "/api/kbarticle", "articles", 42, "article"),
    Area("reporting", "/api/report", "reports", 27, "report"),
    Area("softwarelicensing", "/api/softwarelicence", "licences", 14, "licence"),
    Area("calendar", "/api/appointment", "appointments", 33, "appointment"),
    Area("timesheets", "/api/timesheet", None, 21, "timesheet"),
)
AREAS_BY_PATH: dict[str, Area] = {area.path: area for area in AREAS}


@dataclass(frozen=True)
class Agent:
    """The agent a token acts as, as /api/Agent/me reports it."""

    id: int
    name: str
    email: str
    isapiagent: bool
    is_admin: bool
    roles: tuple[str, ...]
    teams: tuple[str, ...]


API_AGENT = Agent(
    42, "Integration API", "integration@acme.example", True, False,
    ("API Read Only",), ("Service Desk", "Projects"),
)  # fmt: skip
RESTRICTED_AGENT = Agent(
    42, "Integration API", "integration@acme.example", True, False,
    ("Finance Only",), ("Service Desk", "Projects"),
)  # fmt: skip
LONELY_AGENT = Agent(
    42, "Integration API", "integration@acme.example", True, False, ("API Read Only",), (),
)  # fmt: skip
HUMAN_ADMIN = Agent(
    7, "Sam Carter", "sam.carter@acme.example", False, True,
    ("Administrator",), ("Service Desk", "2nd Line", "Management"),
)  # fmt: skip

Transport = Literal["normal", "not_halo", "never_answers", "drip"]
TokenReply = Literal["json", "missing", "redirect", "html"]
TicketsReply = Literal["json", "server_error", "html"]


@dataclass(frozen=True)
class Scenario:
    """How one simulated Halo behaves; the defaults are a healthy hosted Halo PSA."""

    description: str
    tenant: str | None = "acme"
    product: str = "Halo PSA"
    version: str = "2.236.133"
    # Trial: the auth server is a separate listener serving /token at its root, tenant required.
    trial: bool = False
    authinfo_trailing_slash: bool = True
    reported_agent_url: str | None = None  # instanceinfo's agent_url when not the real address
    transport: Transport = "normal"
    unknown_instance: bool = False
    secret_regenerated: bool = False
    client_id_changed: bool = False
    grant_error: str | None = None  # an OAuth error code every token request gets
    token_reply: TokenReply = "json"
    ticked: frozenset[str] = READ_EDIT_SCOPES
    reject_unticked: bool = False
    token_without_scope: bool = False
    api_rejects_tokens: bool = False
    agent: Agent | None = API_AGENT  # None: the application identity
    denied_areas: frozenset[str] = frozenset()
    sees_nothing: bool = False
    rate_limit: Literal["always", "first"] | None = None
    tickets_reply: TicketsReply = "json"
    huge_agent: bool = False
    clock_skew_s: int = 0


SCENARIO_DATA: dict[str, Scenario] = {
    "healthy": Scenario(
        "A correctly set up hosted Halo PSA: discovery, the token and every read probe work.",
    ),
    "wrong_secret": Scenario(
        "The application's secret was regenerated in Halo: the secret printed here is rejected"
        " (401 invalid_client).",
        secret_regenerated=True,
    ),
    "client_id_changed": Scenario(
        "The Client ID was copied before Save: the printed Client ID is unknown to Halo"
        " (401 invalid_client).",
        client_id_changed=True,
    ),
    "inactive_app": Scenario(
        "The application is not Active or uses another authentication method: the token request"
        " is refused (400 unauthorized_client).",
        grant_error="unauthorized_client",
    ),
    "trial": Scenario(
        "A trial instance: a mixed-case tenant and a separate auth server with no /auth segment"
        " that requires the tenant.",
        tenant="SimTrial42",
        trial=True,
        authinfo_trailing_slash=False,
    ),
    "on_premise": Scenario(
        "An on-premise Halo ITSM: no tenant anywhere, and the token endpoint ignores one.",
        tenant=None,
        product="Halo ITSM",
        version="2.228.1",
        authinfo_trailing_slash=False,
    ),
    "custom_domain": Scenario(
        "A custom domain whose tenant ID ('northwindit') cannot be derived from the hostname.",
        tenant="northwindit",
    ),
    "agent_url_differs": Scenario(
        "Halo reports another agent address (https://halo.acme.example) than the one used,"
        " as after pasting the portal or an old domain.",
        reported_agent_url="https://halo.acme.example",
    ),
    "not_halo": Scenario(
        "The address is not a Halo instance: every path, POSTs included, answers a company"
        " web page.",
        transport="not_halo",
    ),
    "unknown_instance": Scenario(
        "A mistyped hosted subdomain: discovery answers HTTP 500 with an empty body and nothing"
        " else works.",
        unknown_instance=True,
    ),
    "auth_missing": Scenario(
        "Discovery works but the token endpoint answers 404 with an HTML page (auth server"
        " missing or wrong auth URL).",
        token_reply="missing",
    ),
    "token_redirect": Scenario(
        "The token endpoint redirects (302) to another host, which a client must never follow.",
        token_reply="redirect",
    ),
    "token_malformed": Scenario(
        "The token endpoint answers 200 with an HTML page instead of JSON.",
        token_reply="html",
    ),
    "unsupported_grant": Scenario(
        "The token endpoint refuses the client credentials grant (400 unsupported_grant_type).",
        grant_error="unsupported_grant_type",
    ),
    "scope_not_ticked": Scenario(
        "Only read:tickets and read:customers are ticked on the application: the token gets"
        " only those and other areas answer 403.",
        ticked=frozenset({"read:tickets", "read:customers"}),
    ),
    "scope_rejected": Scenario(
        "Only read:tickets is ticked and Halo rejects any other requested scope"
        " (400 invalid_scope naming it).",
        ticked=frozenset({"read:tickets"}),
        reject_unticked=True,
    ),
    "no_scope_token": Scenario(
        "The token comes back without a scope, so every API call then answers 401.",
        token_without_scope=True,
    ),
    "api_unauthorized": Scenario(
        "Tokens are issued normally but the API does not accept them: every API call answers 401.",
        api_rejects_tokens=True,
    ),
    "agent_no_permission": Scenario(
        "The agent to log in as has no access to Tickets and Assets in its role: those probes"
        " answer 403.",
        agent=RESTRICTED_AGENT,
        denied_areas=frozenset({"tickets", "assets"}),
    ),
    "agent_sees_nothing": Scenario(
        "The agent is in no team and has client restrictions: every probe answers 200 with zero"
        " records.",
        agent=LONELY_AGENT,
        sees_nothing=True,
    ),
    "human_admin_agent": Scenario(
        "The application logs in as a person's licensed admin account (Sam Carter) instead of"
        " an API-only agent.",
        agent=HUMAN_ADMIN,
    ),
    "application_identity": Scenario(
        "The application uses the application identity (Halo 2.234+): there is no agent and"
        " /api/Agent/me answers 404.",
        agent=None,
    ),
    "rate_limited": Scenario(
        "Every API call answers 429 Rate Limit Reached with Retry-After: 2; discovery and the"
        " token still work.",
        rate_limit="always",
    ),
    "rate_limited_briefly": Scenario(
        "The first call to each API path answers 429 with Retry-After: 1; a retry succeeds.",
        rate_limit="first",
    ),
    "server_error": Scenario(
        "/api/Tickets fails with HTTP 500 and a .NET exception; everything else works.",
        tickets_reply="server_error",
    ),
    "unexpected_response": Scenario(
        "/api/Tickets answers 200 with an HTML sign-in page, as a proxy in front of Halo would.",
        tickets_reply="html",
    ),
    "huge_agent": Scenario(
        "/api/Agent/me answers a record of about 3 MB (a very long claims list).",
        huge_agent=True,
    ),
    "clock_skew": Scenario(
        "Every response's Date header is 3 hours in the past: one of the two clocks is wrong.",
        clock_skew_s=3 * 3600,
    ),
    "never_answers": Scenario(
        "Every request is accepted and read but never answered, like a hung server or a"
        " silent firewall.",
        transport="never_answers",
    ),
    "drip": Scenario(
        "Discovery sends its headers at once, then its body one byte every 0.5 s, to test a"
        " client's total deadline.",
        transport="drip",
    ),
}

SCENARIOS: dict[str, str] = {name: data.description for name, data in SCENARIO_DATA.items()}
