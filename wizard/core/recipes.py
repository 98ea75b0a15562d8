"""Recipes: what each tool that connects to Halo needs, and the values for its own form.

The recipes are data (resources/recipes.toml); this module reads them, checks them, and
makes a tool's form from a tested connection: each field under the tool's own label, with
the value made the way that tool wants it (host with or without https://, /api or not,
the token URL with ?tenant=, Yes/No for on-premise...). The secret is never a value here:
a field that holds it says so, and `reveal` fills it in only when asked.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from wizard.assets import resource_path
from wizard.core import messages
from wizard.core.findings import Finding, make
from wizard.core.model import CheckReport, ScopeStatus
from wizard.core.scopes import BROAD_SCOPES

RECIPES_FILE = ("recipes.toml",)
SURENESS = ("seen", "documented", "inferred")
CHOSEN_BY = ("tool", "guide", "admin")
IDENTITIES = ("agent", "application", "either")
# Where the tool runs: in the cloud (its vendor's, or a server of yours: never this
# computer, so it cannot read this computer's keychain), on this computer, or either.
RUNS = ("cloud", "this_computer", "either")
SOURCES = (
    "host",
    "host_name",
    "api_url",
    "auth_url",
    "auth_host_name",
    "token_url",
    "tenant",
    "client_id",
    "secret",
    "scopes",
    "hosting",
    "text",
    "powershell",
    "auth_method",
    "assertion_audience",
    "assertion_issuer",
    "private_key_file",
    "tool_setting",
)
# "signed": only for a connection that signs with a private key (JWT Assertion).
WHEN = ("always", "hosted", "on_premise", "auth_differs", "signed")
# The situations a field's note can depend on (note_if): a trial's shared sign-in server
# (auth_differs), an on-premise Halo, a hosted one.
NOTE_IF = ("auth_differs", "on_premise", "hosted")
# The facts of a recipe that can name a source of their own (scopes_source, scopes_sure...);
# each defaults to the recipe's source and sureness.
FACTS = ("scopes", "requests", "identity", "methods")
# How a tool can sign in: Client ID and Secret (Services), JWT Assertion (Services).
METHODS = ("client_secret", "jwt_assertion")
SECRET_PLACEHOLDER = "<client secret>"
# The fields whose value holds the secret.
SECRET_SOURCES = ("secret", "powershell")
# The fields only a connection that signs with a private key has.
SIGNED_SOURCES = ("auth_method", "assertion_audience", "assertion_issuer", "private_key_file")


class RecipeError(ValueError):
    """The recipes file is not as this program reads it (a defect caught by the tests)."""


@dataclass(frozen=True)
class Cited:
    """Where a fact comes from, and how sure it is (one of SURENESS)."""

    source: str
    sure: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "sure": self.sure}


@dataclass(frozen=True)
class FieldSpec:
    label: str
    source: str
    when: str = "always"
    note: str | None = None
    sure: str | None = None
    text: str | None = None
    hosted: str | None = None
    on_premise: str | None = None
    # Notes for a situation (NOTE_IF), in the order given: the first that applies replaces
    # `note`.
    notes_if: tuple[tuple[str, str], ...] = ()
    # Where the label and the value come from, when not the recipe's own source.
    cited: str | None = None

    def note_for(self, facts: Facts) -> str | None:
        """The note shown beside the value for this connection."""
        for situation, note in self.notes_if:
            if _situation(situation, facts):
                return note
        return self.note


@dataclass(frozen=True)
class Recipe:
    id: str
    name: str
    summary: str
    scopes: tuple[str, ...]
    scopes_chosen_by: str
    scopes_note: str
    identity: str
    identity_advice: str
    needs_records: tuple[str, ...]
    methods: tuple[str, ...]
    methods_note: str
    source: str
    sure: str
    fields: tuple[FieldSpec, ...]
    # What the tool itself asks Halo for in its token request, when its code fixes it
    # (n8n's three, CIPP's all), () for no scope unless one is set in the tool (Nango); None
    # when it asks for what the admin gives it, or no source says.
    requests: tuple[str, ...] | None = None
    # Where each of FACTS comes from, when not the recipe's own source: (fact, Cited) pairs.
    facts_cited: tuple[tuple[str, Cited], ...] = ()
    # The tool signs in only at the Halo's own address (https://HOST/auth/token, no tenant),
    # as Nango does: it cannot use a sign-in server elsewhere, as trials have.
    signs_in_at_host: bool = False
    # Where the tool runs (one of RUNS): a tool in the cloud cannot read this computer's
    # keychain, so the wizard does not offer to keep the secret there for it by default.
    runs: str = "either"
    # How a sentence names the tool mid-sentence ("your script" for "A script of my own");
    # the name itself when the recipe gives none. See `called`.
    in_sentence: str | None = None
    # An example name for the application (and the agent) in Halo ("Rewst API"); None for a
    # tool whose name is not known ("Another tool"): the pages then give a generic one.
    example_name: str | None = None

    @property
    def called(self) -> str:
        """The tool as a sentence names it mid-sentence: "What your script needs"."""
        return self.in_sentence or self.name

    @property
    def called_first(self) -> str:
        """The tool at a sentence's start: "Your script", but "n8n" (a name keeps its case)."""
        if self.in_sentence is None:
            return self.name
        return self.in_sentence[:1].upper() + self.in_sentence[1:]

    @property
    def in_the_cloud(self) -> bool:
        """The tool runs elsewhere than on this computer: it cannot read its keychain."""
        return self.runs == "cloud"

    @property
    def scopes_fixed(self) -> bool:
        """The tool itself asks Halo for exactly these scopes, whatever the admin picks."""
        return self.scopes_chosen_by == "tool"

    @property
    def signs_with_a_key(self) -> bool:
        """The tool can sign an assertion with a private key (JWT Assertion) instead of
        sending a secret."""
        return "jwt_assertion" in self.methods

    def cited(self, fact: str) -> Cited:
        """Where `fact` (one of FACTS, or "recipe") comes from, and how sure it is."""
        return dict(self.facts_cited).get(fact, Cited(self.source, self.sure))

    def field_cited(self, spec: FieldSpec) -> Cited:
        """Where a field's label and value come from, and how sure they are."""
        return Cited(spec.cited or self.source, spec.sure or self.sure)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "summary": self.summary,
            "scopes": list(self.scopes),
            "scopes_chosen_by": self.scopes_chosen_by,
            "scopes_note": self.scopes_note,
            "identity": self.identity,
            "identity_advice": self.identity_advice,
            "needs_records": list(self.needs_records),
            "methods": list(self.methods),
            "methods_note": self.methods_note,
            "source": self.source,
            "sure": self.sure,
            "fields": [spec.label for spec in self.fields],
            "requests": None if self.requests is None else list(self.requests),
            "sources": {
                fact: self.cited(fact).to_dict()
                for fact in ("recipe", *FACTS)
                if fact != "requests" or self.requests is not None
            },
            "field_sources": [
                {"label": spec.label, **self.field_cited(spec).to_dict()} for spec in self.fields
            ],
        }


@dataclass(frozen=True)
class Facts:
    """What a tested connection gives a form."""

    host: str
    client_id: str
    auth_url: str
    token_url: str
    tenant: str | None
    scopes: tuple[str, ...]

    @classmethod
    def from_report(cls, report: CheckReport) -> Facts | None:
        """The facts of a check that found the instance; None when it did not get so far."""
        if not (report.host and report.auth_url and report.token_url):
            return None
        return cls(
            host=report.host,
            client_id=report.client_id or "",
            auth_url=report.auth_url.rstrip("/"),
            token_url=report.token_url,
            tenant=report.tenant,
            scopes=tuple(report.requested_scopes),
        )

    @property
    def on_premise(self) -> bool:
        return self.tenant is None

    @property
    def auth_differs(self) -> bool:
        return self.auth_url != f"{self.host}/auth"


@dataclass(frozen=True)
class Signed:
    """How a connection that signs with a private key (JWT Assertion) signs: the audience
    and issuer its assertions name (the defaults filled in) and its key file, if it has one.
    A form made with it leaves out the secret's fields and shows its "signed" fields."""

    audience: str
    issuer: str
    key_file: str | None = None

    @classmethod
    def of(
        cls,
        facts: Facts,
        audience: str | None = None,
        issuer: str | None = None,
        key_file: str | None = None,
    ) -> Signed:
        """As the test signed for `facts`: the audience given, else the token service's
        address without ?tenant=; the issuer given, else the Client ID."""
        from wizard.core.assertion import default_audience

        return cls(
            audience=(audience or "").strip() or default_audience(facts.token_url),
            issuer=(issuer or "").strip() or facts.client_id,
            key_file=key_file,
        )


@dataclass(frozen=True)
class FormField:
    """One field of a tool's form: its label, and its value unless it holds the secret.

    `value` is None for the secret itself; a field whose value contains the secret (the
    PowerShell command) shows SECRET_PLACEHOLDER in its place, and `reveal` fills it in.
    """

    label: str
    value: str | None
    secret: bool = False
    note: str | None = None
    sure: str = "documented"
    _template: str | None = field(default=None, repr=False)

    def reveal(self, secret: str) -> str:
        """The value with the secret in it; only for an explicit "copy the secret" click."""
        if not self.secret:
            return self.value or ""
        if self._template is None:
            return secret
        return self._template.replace("{secret}", _powershell_quoted(secret))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"label": self.label, "value": self.value}
        if self.secret:
            data["secret"] = True
        if self.note:
            data["note"] = self.note
        if self.sure != "documented":
            data["sure"] = self.sure
        return data


def _text(table: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
    value = table.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise RecipeError(f"{where}: {key} must be a text")
    return value.strip()


def _choice(table: Mapping[str, Any], key: str, options: Sequence[str], where: str) -> str:
    value = table.get(key)
    if value not in options:
        raise RecipeError(f"{where}: {key} must be one of {', '.join(options)}, not {value!r}")
    return str(value)


def _texts(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = table.get(key)
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise RecipeError(f"{where}: {key} must be a list of texts")
    return tuple(values)


def _methods(table: Mapping[str, Any], where: str) -> tuple[str, ...]:
    methods = _texts(table, "methods", where)
    for method in methods:
        _choice({"methods": method}, "methods", METHODS, where)
    if not methods:
        raise RecipeError(f"{where}: methods names no way to sign in")
    return tuple(dict.fromkeys(methods))


def _notes_if(table: Mapping[str, Any], where: str) -> tuple[tuple[str, str], ...]:
    notes = table.get("note_if", {})
    if not isinstance(notes, dict):
        raise RecipeError(f"{where}: note_if must be a table")
    for situation in notes:
        _choice({"note_if": situation}, "note_if", NOTE_IF, where)
    return tuple((situation, _text(notes, situation, where)) for situation in notes)


def _facts_cited(entry: Mapping[str, Any], where: str) -> tuple[tuple[str, Cited], ...]:
    """The (fact, Cited) pairs of the facts that name a source or sureness of their own."""
    found = []
    for fact in FACTS:
        source = _text(entry, f"{fact}_source", where, optional=True)
        sure = entry.get(f"{fact}_sure")
        if source is None and sure is None:
            continue
        found.append(
            (
                fact,
                Cited(
                    source or _text(entry, "source", where),
                    _choice(entry, f"{fact}_sure", SURENESS, where)
                    if sure is not None
                    else _choice(entry, "sure", SURENESS, where),
                ),
            )
        )
    return tuple(found)


def _requests(entry: Mapping[str, Any], where: str) -> tuple[str, ...] | None:
    values = entry.get("requests")
    if values is None:
        return None
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise RecipeError(f"{where}: requests must be a list of texts")
    return tuple(values)


def _field(table: Mapping[str, Any], where: str) -> FieldSpec:
    source = _choice(table, "from", SOURCES, where)
    spec = FieldSpec(
        label=_text(table, "label", where),
        source=source,
        when=_choice({"when": table.get("when", "always")}, "when", WHEN, where),
        note=_text(table, "note", where, optional=True),
        sure=(_choice(table, "sure", SURENESS, where) if table.get("sure") is not None else None),
        text=_text(table, "text", where, optional=source != "text"),
        hosted=_text(table, "hosted", where, optional=source != "hosting"),
        on_premise=_text(table, "on_premise", where, optional=source != "hosting"),
        notes_if=_notes_if(table, where),
        cited=_text(table, "source", where, optional=True),
    )
    if source == "tool_setting" and spec.note is None:
        raise RecipeError(f"{where}: a tool_setting field needs a note saying where to find it")
    return spec


def parse(document: Mapping[str, Any]) -> tuple[Recipe, ...]:
    """The recipes of a parsed recipes file; RecipeError naming the first defect."""
    entries = document.get("recipe")
    if not isinstance(entries, list) or not entries:
        raise RecipeError("the recipes file has no [[recipe]]")
    recipes: list[Recipe] = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise RecipeError(f"recipe {number} is not a table")
        where = f"recipe {entry.get('id', number)!s}"
        fields = entry.get("field")
        if not isinstance(fields, list) or not fields:
            raise RecipeError(f"{where}: it has no [[recipe.field]]")
        recipes.append(
            Recipe(
                id=_text(entry, "id", where),
                name=_text(entry, "name", where),
                summary=_text(entry, "summary", where),
                scopes=_texts(entry, "scopes", where),
                scopes_chosen_by=_choice(entry, "scopes_chosen_by", CHOSEN_BY, where),
                scopes_note=_text(entry, "scopes_note", where),
                identity=_choice(entry, "identity", IDENTITIES, where),
                identity_advice=_text(entry, "identity_advice", where),
                needs_records=tuple(entry.get("needs_records", ())),
                methods=_methods(entry, where),
                methods_note=_text(entry, "methods_note", where),
                source=_text(entry, "source", where),
                sure=_choice(entry, "sure", SURENESS, where),
                fields=tuple(
                    _field(spec, f"{where}, field {i}") for i, spec in enumerate(fields, 1)
                ),
                requests=_requests(entry, where),
                facts_cited=_facts_cited(entry, where),
                signs_in_at_host=_flag(entry, "signs_in_at_host", where),
                runs=_choice({"runs": entry.get("runs", "either")}, "runs", RUNS, where),
                in_sentence=_text(entry, "in_sentence", where, optional=True),
                example_name=_text(entry, "example_name", where, optional=True),
            )
        )
    ids = [recipe.id for recipe in recipes]
    if len(set(ids)) != len(ids):
        raise RecipeError("two recipes have the same id")
    return tuple(recipes)


@cache
def all_recipes() -> tuple[Recipe, ...]:
    path = resource_path(*RECIPES_FILE)
    if path is None:
        raise RecipeError("the recipes file is missing from this installation")
    with open(path, "rb") as file:
        return parse(tomllib.load(file))


# Labels many forms share: they never say which tool a pasted form is ("Hostname", Nango's
# only label of its own, is as common as any).
_COMMON_LABELS = frozenset(
    {"client id", "client secret", "tenant", "scope", "scopes", "hostname", "host name"}
)


def tool_of_labels(labels: Sequence[str]) -> str | None:
    """The tool whose own form has the labels pasted text was read from ("Resource Server
    Hostname" and "Is On-Premise?" are Rewst's), when exactly one tool's form has at least
    one label no other form shares; None otherwise (the admin is asked)."""
    given = {_label_key(label) for label in labels}
    found = []
    for chosen in all_recipes():
        if chosen.id == "other":
            continue  # "Another tool" is the generic form: never guessed from labels
        own = {_label_key(spec.label) for spec in chosen.fields} - _COMMON_LABELS
        if own & given:
            found.append((len(own & given), chosen.id))
    found.sort(reverse=True)
    if not found or (len(found) > 1 and found[0][0] == found[1][0]):
        return None
    return found[0][1]


def _label_key(label: str) -> str:
    return " ".join(label.lower().replace("?", " ").replace(":", " ").split())


def recipe(recipe_id: str) -> Recipe:
    """The recipe `recipe_id` (in any capitalisation: --for Rewst is rewst); KeyError naming
    the known ids when there is none."""
    wanted = recipe_id.strip().casefold()
    for found in all_recipes():
        if found.id.casefold() == wanted:
            return found
    known = ", ".join(r.id for r in all_recipes())
    raise KeyError(f"There is no recipe {recipe_id!r}; the recipes are: {known}.")


# ----- the form -----


def _bare(url: str) -> str:
    return url.split("://", 1)[-1]


def _powershell_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _powershell(facts: Facts) -> str:
    parts = [
        "Connect-HaloAPI",
        f"-URL {_powershell_quoted(facts.host)}",
        f"-ClientID {_powershell_quoted(facts.client_id)}",
        "-ClientSecret {secret}",
        f"-Scopes {_powershell_quoted(' '.join(facts.scopes))}",
    ]
    if facts.tenant:
        parts.append(f"-Tenant {_powershell_quoted(facts.tenant)}")
    return " ".join(parts)


def _situation(situation: str, facts: Facts) -> bool:
    """Whether the connection is in `situation` (one of NOTE_IF)."""
    if situation == "auth_differs":
        return facts.auth_differs
    if situation == "on_premise":
        return facts.on_premise
    return not facts.on_premise  # hosted


def _applies(spec: FieldSpec, facts: Facts, signed: Signed | None) -> bool:
    if signed is not None and spec.source in SECRET_SOURCES:
        return False  # there is no secret to give
    if spec.when == "signed" or spec.source in SIGNED_SOURCES:
        return signed is not None and (spec.source != "private_key_file" or bool(signed.key_file))
    if spec.when == "hosted":
        return not facts.on_premise
    if spec.when == "on_premise":
        return facts.on_premise
    if spec.when == "auth_differs":
        return facts.auth_differs
    return True


def _value(spec: FieldSpec, facts: Facts, signed: Signed | None) -> str:
    if signed is not None and spec.source in SIGNED_SOURCES:
        return {
            "auth_method": spec.text or "jwt_assertion",
            "assertion_audience": signed.audience,
            "assertion_issuer": signed.issuer,
            "private_key_file": signed.key_file or "",
        }[spec.source]
    values = {
        "host": facts.host,
        "host_name": _bare(facts.host),
        "api_url": f"{facts.host}/api",
        "auth_url": facts.auth_url,
        "auth_host_name": _bare(facts.auth_url),
        "token_url": facts.token_url,
        "tenant": facts.tenant or "",
        "client_id": facts.client_id,
        "scopes": " ".join(facts.scopes),
        "text": spec.text or "",
        "hosting": (spec.on_premise if facts.on_premise else spec.hosted) or "",
        # The tool's own setting, which no test of the connection can give: its note says
        # where the admin finds it.
        "tool_setting": "",
    }
    return values[spec.source]


def form(chosen: Recipe, facts: Facts, *, signed: Signed | None = None) -> list[FormField]:
    """The tool's form for this connection: the fields that apply, each with its value.

    `signed` (a connection that signs with a private key, JWT Assertion) leaves out the
    fields that hold the secret (there is none to give) and adds the "signed" ones (the
    method, the assertion's audience and issuer, the key file).
    """
    fields: list[FormField] = []
    for spec in chosen.fields:
        if not _applies(spec, facts, signed):
            continue
        sure = spec.sure or chosen.sure
        note = spec.note_for(facts)
        if spec.source == "secret":
            fields.append(FormField(spec.label, None, True, note, sure))
        elif spec.source == "powershell":
            template = _powershell(facts)
            shown = template.replace("{secret}", _powershell_quoted(SECRET_PLACEHOLDER))
            fields.append(FormField(spec.label, shown, True, note, sure, template))
        else:
            value = _value(spec, facts, signed)
            fields.append(FormField(spec.label, value, False, note, sure))
    return fields


def for_json(
    chosen: Recipe, report: CheckReport, *, signed: Signed | None = None
) -> dict[str, Any]:
    """The "for" member of `check --for TOOL --json`: the tool and its form's values."""
    facts = Facts.from_report(report)
    fields = form(chosen, facts, signed=signed) if facts else []
    return {"tool": chosen.id, "name": chosen.name, "fields": [f.to_dict() for f in fields]}


# ----- what the tool needs, judged against the test -----


def required_scopes(chosen: Recipe) -> tuple[str, ...]:
    """The scopes the tool asks Halo for itself, or its guide says to tick: the admin cannot
    narrow them without the tool (or its guide) saying otherwise. () when the admin picks."""
    return chosen.scopes if chosen.scopes_chosen_by in ("tool", "guide") else ()


def _flag(entry: dict[str, Any], key: str, where: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise RecipeError(f"{where}: {key} must be true or false")
    return value


def judge(chosen: Recipe, report: CheckReport) -> list[Finding]:
    """What this tool needs that the tested connection does not give, as findings."""
    found: list[Finding] = []
    context = {"tool": chosen.name, "identity_advice": chosen.identity_advice}
    broad = [s for s in required_scopes(chosen) if s in BROAD_SCOPES]
    if broad and any(s in report.requested_scopes for s in broad):
        found.append(
            make(
                "TOOL_NEEDS_BROAD_ACCESS",
                context,
                scopes=" and ".join(broad),
                why=(
                    messages.TOOL_ASKS_ITSELF if chosen.scopes_fixed else messages.TOOL_GUIDE_ASKS
                ).format(tool=chosen.name, scopes=" and ".join(broad)),
            )
        )
    if chosen.signs_in_at_host and report.host and report.auth_url:
        own = f"{report.host.rstrip('/')}/auth"
        if report.auth_url.rstrip("/") != own:
            found.append(
                make(
                    "TOOL_CANNOT_SIGN_IN",
                    context,
                    own_token_url=f"{own}/token",
                    auth_url=report.auth_url.rstrip("/"),
                )
            )
    identity = report.identity
    if identity is not None and chosen.identity != "either" and identity.kind != chosen.identity:
        found.append(make("TOOL_NEEDS_OTHER_IDENTITY", context, wanted=chosen.identity))
    for area in chosen.needs_records:
        for result in report.scopes:
            if result.scope == f"read:{area}" and result.status is ScopeStatus.EMPTY:
                found.append(
                    make(
                        "TOOL_SEES_NO_RECORDS",
                        context,
                        area=area,
                        scope=result.scope,
                        scope_name=result.scope,
                    )
                )
    return found
