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

    description: str  # what is simulated, in an admin's words
    title: str = ""  # the situation's short name, as the demo's list shows it
    # The instance's own name in the demo (the simulator with public names); None: the
    # hosted acme.halopsa.com. Names under .example never resolve anywhere real.
    host: str | None = None
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
    # JWT Assertion (Services): the application holds a public key and accepts only
    # assertions signed by its private key (the simulator makes the pair; SimulatedHalo's
    # assertion_public_key gives one instead).
    jwt_assertion: bool = False
    # The public key Halo holds is another one than the admin's private key matches (a pair
    # made again and the new public key not pasted, or the wrong file pasted).
    assertion_key_replaced: bool = False


SCENARIO_DATA: dict[str, Scenario] = {
    "healthy": Scenario(
        "A correctly set up hosted HaloPSA: the instance is found, a token is issued and every"
        " area the connection needs can be read.",
        title="All set up right",
    ),
    "wrong_secret": Scenario(
        "The application's secret was regenerated in Halo after it was copied, so the secret"
        " entered here is refused.",
        title="Secret regenerated",
        secret_regenerated=True,
    ),
    "client_id_changed": Scenario(
        "The Client ID was copied before the application was saved in Halo, so Halo does not"
        " know the Client ID entered here.",
        title="Client ID too early",
        client_id_changed=True,
    ),
    "inactive_app": Scenario(
        "The application is not ticked Active in Halo, or uses another authentication method, so"
        " Halo refuses to issue a token.",
        title="App not active",
        grant_error="unauthorized_client",
    ),
    "trial": Scenario(
        "A trial instance: its tenant has capital letters, and its sign-in server is separate"
        " from the instance and needs the tenant.",
        title="Trial instance",
        tenant="SimTrial42",
        trial=True,
        authinfo_trailing_slash=False,
    ),
    "on_premise": Scenario(
        "HaloITSM installed on the company's own server: there is no tenant at all.",
        title="On-premise HaloITSM",
        host="itsm.acme.example",
        tenant=None,
        product="Halo ITSM",
        version="2.228.1",
        authinfo_trailing_slash=False,
    ),
    "custom_domain": Scenario(
        "Halo runs under the company's own domain, so the tenant ('northwindit') cannot be"
        " guessed from the address.",
        title="Custom domain",
        host="support.northwind.example",
        tenant="northwindit",
    ),
    "agent_url_differs": Scenario(
        "Halo's settings name another address (https://halo.acme.example) than the one entered,"
        " as after pasting the portal's address or an old domain.",
        title="Another address",
        reported_agent_url="https://halo.acme.example",
    ),
    "not_halo": Scenario(
        "The address entered is not a Halo instance: every page there is an ordinary company web"
        " page.",
        title="Address is not Halo",
        host="www.acme.example",
        transport="not_halo",
    ),
    "unknown_instance": Scenario(
        "Halo's cloud has no instance by the name entered, as when the address has a typo."
        " (In any situation, typing another name such as acmee.halopsa.com does the same.)",
        title="Mistyped address",
        unknown_instance=True,
    ),
    "auth_missing": Scenario(
        "The instance is found, but not its sign-in (authorisation) server: the address for"
        " tokens answers 'page not found'.",
        title="No sign-in server",
        token_reply="missing",
    ),
    "token_redirect": Scenario(
        "The sign-in server sends the token request on to another server, which a tool must"
        " never follow with a secret.",
        title="Sign-in redirects",
        token_reply="redirect",
    ),
    "token_malformed": Scenario(
        "The sign-in server answers with a web page instead of a token, as when something"
        " between this computer and Halo gets in the way.",
        title="Sign-in web page",
        token_reply="html",
    ),
    "unsupported_grant": Scenario(
        "The sign-in server does not allow the Client ID and Secret method this connection uses.",
        title="Sign-in refused",
        grant_error="unsupported_grant_type",
    ),
    "scope_not_ticked": Scenario(
        "Only read:tickets and read:customers are ticked on the application in Halo, so every"
        " other area is refused.",
        title="Boxes not ticked",
        ticked=frozenset({"read:tickets", "read:customers"}),
    ),
    "scope_rejected": Scenario(
        "Only read:tickets is ticked on the application, and Halo refuses to issue a token that"
        " asks for anything more.",
        title="Permission refused",
        ticked=frozenset({"read:tickets"}),
        reject_unticked=True,
    ),
    "no_scope_token": Scenario(
        "Halo issues a token that carries no permissions, so every request made with it is"
        " refused.",
        title="Token lacks rights",
        token_without_scope=True,
    ),
    "api_unauthorized": Scenario(
        "Halo issues tokens, but its API does not accept them: every request made with one is"
        " refused.",
        title="Token not accepted",
        api_rejects_tokens=True,
    ),
    "agent_no_permission": Scenario(
        "The agent the application logs in as has no access to Tickets and Assets in its role,"
        " so those areas are refused.",
        title="Agent lacks access",
        agent=RESTRICTED_AGENT,
        denied_areas=frozenset({"tickets", "assets"}),
    ),
    "agent_sees_nothing": Scenario(
        "The agent is in no team and restricted by customer, so every area answers but shows no"
        " records.",
        title="Agent sees nothing",
        agent=LONELY_AGENT,
        sees_nothing=True,
    ),
    "human_admin_agent": Scenario(
        "The application logs in as a person's licensed administrator account (Sam Carter)"
        " rather than an API-only agent.",
        title="Logs in as a person",
        agent=HUMAN_ADMIN,
    ),
    "application_identity": Scenario(
        "The application acts as itself (Halo 2.234 and later) rather than as an agent, so there"
        " is no agent to report.",
        title="Application identity",
        agent=None,
    ),
    "rate_limited": Scenario(
        "Halo says too many requests were made and asks to wait, every time; finding the"
        " instance and the token still work.",
        title="Too many requests",
        rate_limit="always",
    ),
    "rate_limited_briefly": Scenario(
        "Halo asks to wait a second the first time each area is read; asking again then works.",
        title="Briefly too busy",
        rate_limit="first",
    ),
    "server_error": Scenario(
        "Reading tickets fails with an error inside Halo; everything else works.",
        title="Error on tickets",
        tickets_reply="server_error",
    ),
    "unexpected_response": Scenario(
        "Reading tickets answers a sign-in web page, as a company proxy in front of Halo would.",
        title="Proxy in the way",
        tickets_reply="html",
    ),
    "huge_agent": Scenario(
        "The agent's record is very large (about 3 MB, a very long list of claims).",
        title="Huge agent record",
        huge_agent=True,
    ),
    "clock_skew": Scenario(
        "Halo's clock and this computer's clock are 3 hours apart: one of them is wrong.",
        title="Clocks disagree",
        clock_skew_s=3 * 3600,
    ),
    "never_answers": Scenario(
        "Halo takes every request and never answers, like a server that has hung or a firewall"
        " that drops the reply.",
        title="Halo never answers",
        transport="never_answers",
    ),
    "jwt_assertion": Scenario(
        "The application uses JWT Assertion (Services): it holds a public key, and a token is"
        " issued for an assertion signed by its private key, never for a secret.",
        title="Signed with a key",
        jwt_assertion=True,
    ),
    "jwt_wrong_key": Scenario(
        "The application uses JWT Assertion (Services), but the public key pasted into Halo"
        " is not the one that matches the private key used, so every assertion is refused.",
        title="Key does not match",
        jwt_assertion=True,
        assertion_key_replaced=True,
    ),
    "drip": Scenario(
        "Halo starts to answer and then sends the rest very slowly, a little every half second,"
        " so the check gives up at its time limit.",
        title="Halo answers slowly",
        transport="drip",
    ),
}

# SCENARIOS leaves out the JWT Assertion applications, which need a private key to be
# tested (the tests that run every scenario with a secret use it); DEMO_SCENARIOS has them
# all: the window's situations, `simulate` (which hands over the key) and `demo`.
SCENARIOS: dict[str, str] = {
    name: data.description for name, data in SCENARIO_DATA.items() if not data.jwt_assertion
}
DEMO_SCENARIOS: dict[str, str] = {name: data.description for name, data in SCENARIO_DATA.items()}
SCENARIO_TITLES: dict[str, str] = {name: data.title for name, data in SCENARIO_DATA.items()}
