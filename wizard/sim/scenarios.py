"""What each scenario of the simulated Halo simulates, as data, plus Halo's scopes and areas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# The resource areas that have read:/edit: scopes (reference §4, and §10 for mailcampaign
# and events, seen in a live token answer).
SCOPE_AREAS: tuple[str, ...] = (
    "tickets", "calendar", "customers", "crm", "timesheets", "contracts", "suppliers",
    "items", "projects", "sales", "quotes", "sos", "pos", "invoices", "reporting",
    "software", "softwarelicensing", "kb", "assets", "distributionlists", "mailcampaign",
    "events",
)  # fmt: skip

# Every read:/edit: scope, in the order a token answer lists them: read: first, as seen.
READ_EDIT_ORDER: tuple[str, ...] = tuple(
    f"{verb}:{area}" for verb in ("read", "edit") for area in SCOPE_AREAS
)
READ_EDIT_SCOPES: frozenset[str] = frozenset(READ_EDIT_ORDER)

# The sign-in names a live token answer listed before Halo's scopes (reference §10, seen).
OPENID_NAMES: tuple[str, ...] = ("openid", "email", "profile", "offline_access", "roles")

# Every scope name Halo accepts; anything else is invalid_scope (read:actions, read:sites...).
REAL_SCOPES: frozenset[str] = READ_EDIT_SCOPES | {
    "all", "all:standard", "all:teams", "admin", "admin:webhooks",
    "editMine:timesheets", "access:chat", "access:adpasswordreset", *OPENID_NAMES,
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

# The areas that answer 401, not 403, to a token that lacks their scope. Seen: a read-only
# token got 401 from /api/Webhook and 403 from /api/ServiceStatus (reference §10); which of
# the probed areas behave so is inferred.
UNAUTHORIZED_WHEN_NOT_GRANTED: frozenset[str] = frozenset({"assets"})

Transport = Literal["normal", "not_halo", "never_answers", "drip"]
TokenReply = Literal["json", "missing", "redirect", "html"]
TicketsReply = Literal["json", "server_error", "html"]


@dataclass(frozen=True)
class Scenario:
    """How one simulated Halo behaves; the defaults are a healthy hosted Halo PSA."""

    description: str  # what is simulated, in an admin's words
    title: str = ""  # the situation's short name, as the demo's list shows it
    # The behaviour rests on our own inference, not on anything seen from a real Halo
    # (the description says what is inferred; `simulate --list` marks it).
    inferred: bool = False
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
    # Scope names this Halo accepts beyond REAL_SCOPES: a newer Halo has areas no list has
    # caught up with (mailcampaign and events were once such).
    extra_scopes: frozenset[str] = frozenset()
    reject_unticked: bool = False
    # A token answer lists the sign-in names (openid email profile offline_access roles)
    # before Halo's scopes, as a live answer did (reference §10).
    openid_names: bool = True
    # How a token answer gives a request for all: "names", the read:/edit: scopes the
    # application allows (seen when all was not ticked; reference §10); "all", the word
    # itself when all is ticked (inferred: not seen either way).
    all_granted_as: Literal["names", "all"] = "names"
    token_without_scope: bool = False
    # The areas that answer 403, not 401, to a token without any scope (seen: such a token
    # draws 401 or 403, reference §10; which area answers which is inferred).
    forbidden_when_scopeless: frozenset[str] = frozenset()
    # The areas that answer 401, not 403, when the token lacks their scope.
    unauthorized_areas: frozenset[str] = UNAUTHORIZED_WHEN_NOT_GRANTED
    api_rejects_tokens: bool = False
    agent: Agent | None = API_AGENT  # None: the application identity
    denied_areas: frozenset[str] = frozenset()
    sees_nothing: bool = False
    rate_limit: Literal["always", "first"] | None = None
    # A 429 carries Retry-After. Never seen from Halo (reference §10): off by default.
    retry_after: bool = False
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
        " area the connection needs can be read; the token answer lists the sign-in names and"
        " gives all as the scopes it stands for, as a live Halo did.",
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
        " Halo refuses to issue a token. (Inferred: Halo's answer to an inactive application"
        " has not been seen.)",
        title="App not active",
        inferred=True,
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
        "The sign-in server does not allow the Client ID and Secret method this connection uses."
        " (Inferred: Halo's answer to it has not been seen.)",
        title="Sign-in refused",
        inferred=True,
        grant_error="unsupported_grant_type",
    ),
    "scope_not_ticked": Scenario(
        "Only read:tickets and read:customers are ticked on the application in Halo: the token"
        " leaves the other scopes out, and their areas refuse it, assets with 401 and the"
        " others with 403. (Inferred: dropping named scopes, seen only for all, and which"
        " areas answer 401.)",
        title="Boxes not ticked",
        inferred=True,
        ticked=frozenset({"read:tickets", "read:customers"}),
    ),
    "scope_rejected": Scenario(
        "Only read:tickets is ticked on the application, and Halo refuses to issue a token that"
        " asks for any other scope by name. (Inferred: Halo has been seen narrowing a request,"
        " not refusing it.)",
        title="Permission refused",
        inferred=True,
        ticked=frozenset({"read:tickets"}),
        reject_unticked=True,
    ),
    "no_scope_token": Scenario(
        "Halo issues a token that carries no permissions, so every request made with it is"
        " refused.",
        title="Token lacks rights",
        token_without_scope=True,
    ),
    "no_scope_token_mixed": Scenario(
        "Halo issues a token that carries no permissions; tickets and assets refuse it with 403"
        " and the rest with 401, which looks like the agent's permissions. (Inferred: which"
        " area answers which.)",
        title="No rights, mixed refusals",
        inferred=True,
        token_without_scope=True,
        forbidden_when_scopeless=frozenset({"tickets", "assets"}),
    ),
    "all_kept_as_all": Scenario(
        "all is ticked on the application, and a token asked for all says all instead of"
        " listing the scopes it stands for. (Inferred: not seen either way.)",
        title="all said as all",
        inferred=True,
        ticked=READ_EDIT_SCOPES | {"all"},
        all_granted_as="all",
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
        " is no agent to report. (Inferred: how Halo reports this identity has not been"
        " seen.)",
        title="Application identity",
        inferred=True,
        agent=None,
    ),
    "rate_limited": Scenario(
        "Halo says too many requests were made, every time, without saying how long to wait;"
        " finding the instance and the token still work.",
        title="Too many requests",
        rate_limit="always",
    ),
    "rate_limited_briefly": Scenario(
        "Halo asks to wait a second the first time each area is read, and says how long;"
        " asking again then works. (Inferred: Halo has not been seen saying how long to"
        " wait.)",
        title="Briefly too busy",
        inferred=True,
        rate_limit="first",
        retry_after=True,
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
        " issued for an assertion signed by its private key, never for a secret. (Inferred:"
        " the audience and issuer Halo expects are not published.)",
        title="Signed with a key",
        inferred=True,
        jwt_assertion=True,
    ),
    "jwt_wrong_key": Scenario(
        "The application uses JWT Assertion (Services), but the public key pasted into Halo"
        " is not the one that matches the private key used, so every assertion is refused."
        " (Inferred: Halo's answer to it has not been seen.)",
        title="Key does not match",
        inferred=True,
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
# The scenarios whose behaviour rests on our own inference rather than on a real Halo.
INFERRED_SCENARIOS: frozenset[str] = frozenset(
    name for name, data in SCENARIO_DATA.items() if data.inferred
)
