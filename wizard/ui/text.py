"""Every sentence the wizard's window shows an admin, in English, in one place.

Findings (titles, details, fixes) are worded in wizard.core.messages; this module holds the
rest: page titles, instructions, labels, buttons and status lines. Widget code never spells
out a sentence itself, so this file can be reviewed and translated on its own.

Placeholders in braces are filled with str.format. Some strings are Qt rich text (a small
HTML subset): <b> marks the names of Halo's menus, buttons and fields.
"""

from __future__ import annotations

APP_NAME = "Halo connection wizard"
WINDOW_TITLE = "Halo connection wizard"
WINDOW_TITLE_DEMO = "Halo connection wizard (demo)"

# ----- the side panel -----

STEP_OF = "Step {number} of {total}"
STEP_NAMES = {
    "welcome": "Welcome",
    "tool": "Your tool",
    "open": "Open the connection",
    "create_app": "Create the application",
    "identity": "Who it acts as",
    "scopes": "Permissions",
    "hostname": "Halo address",
    "tenant": "Find your Halo",
    "credentials": "Client ID and secret",
    "test": "Test",
    "export": "Save",
}
# The credentials step of a connection that signs with a key (JWT Assertion): no secret.
STEP_NAME_CREDENTIALS_KEY = "Client ID"
STEP_NAME_CREDENTIALS_KEY_FILE = "Client ID and key"
STEPS_LIST_NAME = "Steps of the wizard"
# What a step's mark says to a screen reader: what was verified, not only what was seen.
STEP_VERIFIED = "{name}: verified"
STEP_PROBLEM = "{name}: has a problem"
STEP_VISITED = "{name}: visited"
STEP_HERE = "{name}: current step"
STEP_NOT_YET = "{name}: not visited yet"

# ----- demo mode -----

DEMO_BANNER = "Demo: simulated Halo"
DEMO_SCENARIO = "Situation:"
DEMO_SCENARIO_NAME = "Simulated situation"
DEMO_USE_VALUES = "Use the demo values"
DEMO_USE_ADDRESS = "Use the demo address"

# ----- shared -----

NEXT_BLOCKED_PREFIX = "To continue: "
BUSY_CANCEL = "Cancel"
COPY = "Copy these steps"
COPIED = "Copied."
OPEN_IN_HALO = "Open in Halo"
TRY_AGAIN = "Try again"
SEVERITY_WORD = {"error": "Problem", "warning": "Warning", "info": "Note"}
STATUS_WORD = {
    "ok": "Done",
    "warning": "Warning",
    "failed": "Failed",
    "running": "In progress",
    "skipped": "Skipped",
}
COPY_FIX_NAME = "Copy the steps that fix: {title}"
OPEN_IN_HALO_NAME = "Open in Halo the page that fixes: {title}"
# ----- the About box (the About button at the bottom of every page) -----

ABOUT_BUTTON = "About"
ABOUT_BUTTON_NAME = "About the wizard: its version, its log file and its licences"
ABOUT_TITLE = "About the Halo connection wizard"
ABOUT_HEADING = "Halo connection wizard {version}"
ABOUT_WHAT = (
    "Sets up and tests a connection between a tool and Halo (HaloPSA, HaloITSM, "
    "HaloServiceDesk). It only reads from Halo; it never changes anything there."
)
ABOUT_LOG = "The log file is here:\n{path}"
ABOUT_NO_LOG = "No log file is being written. {reason}"
ABOUT_LICENCES = "The wizard is built on open-source software. Their licences:"
ABOUT_LICENCES_NAME = "The licences of the software the wizard is built on"
ABOUT_LICENCES_MISSING = "The licences cannot be shown: {reason}"
ABOUT_QT = "About &Qt"
ABOUT_QT_NAME = "About Qt, the toolkit the window is made with"
ABOUT_CLOSE = "Close"

QUIT_TITLE = "Quit the wizard?"
QUIT_TEXT = "What you entered will be lost. The secret is not saved anywhere yet."
QUIT_TEXT_SAVED = "What you entered will be lost unless you saved a connection file."
QUIT_BUTTON = "Quit"
STAY_BUTTON = "Stay"
OPEN_URL_FAILED = "Could not open a browser. Open this address yourself: {url}"
# The menu of a text that can be selected (its shortcut is shown beside it).
LABEL_COPY = "&Copy"
LABEL_SELECT_ALL = "Select &All"

# ----- 1. Welcome -----

WELCOME_TITLE = "Connect your tool to Halo"
WELCOME_SUBTITLE = "This wizard sets up the connection between your tool and Halo, and tests it."
WELCOME_BODY = (
    "<p>In about ten minutes you will:</p>"
    "<ul>"
    "<li>say which tool you are connecting;</li>"
    "<li>create an API application in Halo, or use the one you already have;</li>"
    "<li>choose who the connection acts as and what it may read and change;</li>"
    "<li>test the connection live, with the fix for anything that is wrong;</li>"
    "<li>get the values to type into your tool, or a connection file for your own "
    "scripts.</li>"
    "</ul>"
    "<p><b>You need:</b> Halo open in your browser, signed in with an account that can open "
    "<b>Configuration</b> (an administrator).</p>"
    "<p>The wizard never changes anything in Halo: it only reads.</p>"
)
WELCOME_QUESTION = "Is there already an API application in Halo for this tool?"
WELCOME_NEW = "No: create a new API application (the wizard shows you how)"
# One answer for each case, each saying when it is the one.
WELCOME_NEW_NOTE = "Choose this when Halo has no API application for this tool yet."
WELCOME_EXISTING = "Yes: I already have one (skip the instructions)"
WELCOME_EXISTING_NOTE = (
    "Choose this to set up your tool with an application already made in Halo: the wizard "
    "skips the steps that create it."
)
WELCOME_DIAGNOSE_QUESTION = "Or is the connection set up already, and has it stopped working?"
WELCOME_DIAGNOSE = "Diagnose an existing connection"
WELCOME_DIAGNOSE_NOTE = (
    "Choose this when a tool was connected and has stopped working, with or without its "
    "connection file: open the file or a saved profile, or paste the values from the tool's "
    "form. The wizard tests it again and says what changed since it last worked."
)
WELCOME_BLOCKED = "choose one of the answers above."

# ----- Which tool -----

TOOL_TITLE = "Which tool are you connecting?"
TOOL_SUBTITLE = (
    "Each tool asks Halo for its own permissions and asks you for the values under its own labels."
)
TOOL_INTRO = (
    "Choose the tool that will use this connection. The wizard then sets up Halo the way "
    "that tool needs, and ends with the values to type into it."
)
TOOL_CHOSEN = "Next, the wizard ticks {scopes} on the Permissions page{identity}. {ending}"
TOOL_IDENTITY_WORDS = {
    "agent": " and chooses an API-only agent to act as",
    "application": " and chooses the application's own identity",
    "either": "",
}
TOOL_ENDING_FORM = "The last page shows each value to type into {name}, under its own labels."
TOOL_ENDING_COMMAND = "The last page gives the {command} command to run, with the tested values."
TOOL_ENDING_SCRIPT = (
    "The last page gives the settings as environment variables and as a connection file."
)
TOOL_ENDING_OTHER = (
    "The last page shows each value under Halo's own names, as on its API Details page."
)
TOOL_BLOCKED = "choose the tool you are connecting."

# ----- 2. Create the application -----

CREATE_TITLE = "Create the API application in Halo"
CREATE_SUBTITLE = "Do these steps in Halo in your browser, with this window open beside it."
CREATE_STEPS = (
    "In Halo, go to <b>Configuration</b> &gt; <b>Integrations</b> &gt; {api_menu}, "
    "click <b>View Applications</b>, then <b>New</b>.",
    "<b>Application Name</b>: type a name that says which tool uses it, for example "
    "<i>{example}</i>.",
    "Tick <b>Active</b>.",
    "<b>Authentication Method</b>: choose <b>Client ID and Secret (Services)</b>.",
    "Click <b>Generate</b> next to <b>Client Secret</b>. Copy the secret at once and keep it "
    "safe, for example in your password manager: Halo shows it only once.",
    "Leave <b>Agent to log in as</b> and the <b>Permissions</b> tab for now: the next two "
    "pages say what to choose.",
    "Click <b>Save</b>.",
    "Only now copy the <b>Client ID</b>: it can change when the application is saved.",
)
CREATE_STEPS_NAME = "Steps in Halo"
# The example application name ({example} above) when the tool's own name is not known; a
# known tool's is its recipe's example_name ("Rewst API").
CREATE_EXAMPLE_ANY = "Ticket sync (your tool's name)"
# The same steps for an application that signs in with a key (JWT Assertion (Services)).
CREATE_STEPS_KEY = (
    "In Halo, go to <b>Configuration</b> &gt; <b>Integrations</b> &gt; {api_menu}, "
    "click <b>View Applications</b>, then <b>New</b>.",
    "<b>Application Name</b>: type a name that says which tool uses it, for example "
    "<i>{example}</i>.",
    "Tick <b>Active</b>.",
    "<b>Authentication Method</b>: choose <b>JWT Assertion (Services)</b>.",
    "Paste the whole public key shown below into the application's public key field.",
    "Leave <b>Agent to log in as</b> and the <b>Permissions</b> tab for now: the next two "
    "pages say what to choose.",
    "Click <b>Save</b>.",
    "Only now copy the <b>Client ID</b>: it can change when the application is saved.",
)
CREATE_ORDER_KEY = (
    "The method and the public key count only once you click Save, and the Client ID can "
    "change on Save, so copy it after. No secret is shown or copied: the private key stays "
    "on this computer."
)
CREATE_METHOD_TITLE = "How the application proves who it is"
CREATE_METHOD_SECRET = "Client ID and &Secret (Services)"
CREATE_METHOD_SECRET_TEXT = (
    "The usual method: Halo shows a secret once, and your tool sends it when it signs in."
)
CREATE_METHOD_KEY = "&JWT Assertion (Services): a key instead of a secret"
CREATE_METHOD_KEY_TEXT = (
    "Halo recommends it for applications with high privileges (Halo 2.234.6 and later): "
    "the application holds a public key, this computer keeps the private key and signs "
    "with it, and no secret travels. Only for tools that can sign with a key, such as your "
    "own scripts."
)
CREATE_METHOD_KEY_NOT_FOR = "{name} signs in with a client secret, so it cannot use this method."
CREATE_KEY_TITLE = "The public key for Halo"
CREATE_KEY_NAME = "The public key to paste into Halo"
CREATE_KEY_MAKING = "Making a key pair (RSA, 3072 bits)\u2026"
CREATE_KEY_TIMEOUT = (
    "The key pair could not be made within {seconds} seconds. Choose Client ID and Secret, "
    "then JWT Assertion again, to try again."
)
CREATE_KEY_WHERE = (
    "In Halo: <b>Configuration</b> &gt; <b>Integrations</b> &gt; {api_menu} &gt; <b>View "
    "Applications</b>, open the application, set <b>Authentication Method</b> to <b>JWT "
    "Assertion (Services)</b>, paste all of this public key, its first and last lines "
    "included, into its public key field, and click <b>Save</b>."
)
CREATE_KEY_COPY = "&Copy the public key"
CREATE_KEY_COPY_NAME = "Copy the public key"
CREATE_KEY_COPIED = "Copied the public key. Paste all of it into Halo."
CREATE_KEY_PRIVATE = (
    "The private key stays on this computer and never goes to Halo: it is saved in this "
    "computer's keychain (or a file you choose) when you save the connection. It proves "
    "that a request is your application's, as a secret would: keep it private."
)
CREATE_BLOCKED_KEY = "wait until the key pair is made."
CREATE_BLOCKED_NO_KEY = "make the key pair: choose JWT Assertion again."
DEMO_REGISTER_KEY = "Paste it into the simulated Halo"
DEMO_KEY_REGISTERED = (
    "The simulated Halo now holds this public key, as Halo does once it is pasted and saved."
)

CREATE_ORDER_TITLE = "Why this order matters"
CREATE_ORDER = (
    "The secret is shown only once, so copy it before you click Save. The Client ID can "
    "change on Save, so copy it after. These are the two most common reasons a new "
    "connection is refused."
)
# The API menu's name, as rich text, when the product is known and when it is not.
API_MENU_KNOWN = "<b>{menu}</b>"
API_MENU_ANY = (
    "<b>HaloPSA API</b> (in HaloITSM: <b>HaloITSM API</b>; in HaloServiceDesk: "
    "<b>HaloServiceDesk API</b>)"
)
CREATE_OPEN_GROUP = "Open the page in your browser"
CREATE_ADDRESS_LABEL = "Your Halo &address:"
CREATE_ADDRESS_NAME = "Your Halo address"
CREATE_ADDRESS_PLACEHOLDER = "https://yourcompany.halopsa.com"
CREATE_OPEN_BUTTON = "&Open the Applications page"
CREATE_OPEN_HINT = "Type or paste your Halo address to open the right page directly."
CREATE_OPEN_WILL = "Opens {url}"

# ----- 3. Identity -----

IDENTITY_TITLE = "Who the connection acts as"
IDENTITY_SUBTITLE = "Everything the connection does in Halo is done, and recorded, as someone."
IDENTITY_AGENT = "A dedicated &API-only agent (every Halo version)"
IDENTITY_AGENT_TEXT = (
    "An agent account used only by this connection. It takes no licence. The connection "
    "may do only what both allow: the application's permission scopes and the agent's "
    "role, teams and customer restrictions. Its changes are recorded under the agent's name."
)
IDENTITY_APPLICATION = (
    "The application's own &identity (from Halo 2.234, where your Halo offers it)"
)
IDENTITY_APPLICATION_TEXT = (
    "No agent is needed: the application acts as itself, with the Identity Roles you give "
    "it. Its changes are recorded as the application's. The simplest way to grant the least "
    'access where your Halo offers it: if "Agent to log in as" has no "Application '
    'identity", choose an API-only agent instead.'
)
IDENTITY_WARNING_TITLE = "Never use a person's own account"
IDENTITY_WARNING = (
    "Not yours, not a colleague's. A person's account takes a licence, its changes mix "
    "with that person's own in the audit trail, and the connection breaks when they leave "
    "or their access changes."
)
IDENTITY_HOW_TITLE = "How to set it up in Halo"
IDENTITY_HOW_AGENT = (
    "Go to <b>Configuration</b> &gt; <b>Teams &amp; Agents</b> &gt; <b>Agents</b> &gt; <b>New</b>.",
    "Name it, for example <i>{example}</i>, and tick <b>Is an API-only Agent</b>.",
    "Give it a role with only the access {tool} needs, and add it to the teams whose "
    "tickets it must see. Click <b>Save</b>.",
    "Open your API application and set <b>Agent to log in as</b> to this agent. Click <b>Save</b>.",
)
IDENTITY_HOW_APPLICATION = (
    "Open your API application (<b>Configuration</b> &gt; <b>Integrations</b> &gt; "
    "{api_menu} &gt; <b>View Applications</b>).",
    "Set <b>Agent to log in as</b> to <b>Application identity</b>.",
    "On the <b>Identity Roles</b> tab, add a role with only the access {tool} needs. "
    "Click <b>Save</b>.",
)
# The agent's example name ({example} above) and the tool ({tool}) when no tool is chosen.
IDENTITY_EXAMPLE_ANY = "Integration API"
IDENTITY_TOOL_ANY = "your tool"
# The chosen tool's recipe: what the identity needs (its advice follows the title).
IDENTITY_TOOL_NEEDS = "What {name} needs:"
# {Name} is the tool at a sentence's start ("Your custom integration"), {name} within one.
IDENTITY_TOOL_DIFFERS = {
    "agent": (
        "{Name} works as an agent (see above): with the application's own identity the "
        "test warns, and {name} may not see what it needs."
    ),
    "application": (
        "{Name} works as the application's own identity (see above): with an agent the test warns."
    ),
}
IDENTITY_HOW_NONE = "Choose one of the two above to see the steps."
IDENTITY_BLOCKED = "choose who the connection acts as."

# ----- 4. Scopes -----

SCOPES_TITLE = "What the connection may do"
SCOPES_SUBTITLE = "Choose only what your tool needs: if the secret leaks, that is all it opens."
SCOPES_SUBTITLE_TOOL = "Choose only what {name} needs: if the secret leaks, that is all it opens."
SCOPES_INTRO = (
    "Permission scopes limit what the application may read and change. Start from the "
    "purpose of your tool, then adjust the boxes below if needed."
)
SCOPES_PRESETS_TITLE = "Start from a purpose"
PRESET_NAMES = {
    "read_tickets": "Read tickets only",
    "ticket_sync": "Ticket sync",
    "asset_sync": "Asset sync",
    "reporting": "Reporting",
    "everything": "Everything (not recommended)",
}
PRESET_TEXTS = {
    "read_tickets": "See tickets; change nothing.",
    "ticket_sync": "See and update tickets, and see the customers they belong to.",
    "asset_sync": "See and update assets, and see the customers they belong to.",
    "reporting": "List and run reports (running a report needs edit:reporting).",
    "everything": "The whole of Halo. One leaked secret would open all of it.",
}
PRESET_CUSTOM = "Your own choice (below)"
# The broad preset when the chosen tool asks for it (its code or its guide), or has it as its
# default: named for the tool, its caution (PRESET_TEXTS) beside it, never "not recommended".
PRESET_EVERYTHING_FOR_TOOL = "Everything: {name} asks for this"
PRESET_EVERYTHING_TOOL_DEFAULT = "Everything: {name}'s default"
SCOPES_LIST_TITLE = "All permission scopes"
GROUP_NAMES = {
    "service_desk": "Service desk",
    "customers": "Customers and sales",
    "assets": "Assets and stock",
    "finance": "Finance",
    "reporting": "Reporting",
    "special": "Special",
    "broad": "Broad access (not recommended)",
}
# The broad group when what is ticked there is what the chosen tool asks for.
GROUP_BROAD_FOR_TOOL = "Broad access (what {name} asks for)"
# The plain-English line of each read:/edit: scope, by area.
AREA_WORDS = {
    "tickets": "tickets, their actions and attachments",
    "kb": "knowledge base articles",
    "calendar": "appointments",
    "timesheets": "timesheets",
    "projects": "projects",
    "customers": "customers, their sites and users",
    "crm": "opportunities",
    "contracts": "contracts",
    "distributionlists": "distribution lists",
    # Seen in a live token answer (halo-api-reference.md §10); no read-only test for either.
    "mailcampaign": "mail campaigns",
    "events": "events (Halo's Events list)",
    "assets": "assets",
    "items": "items (products and stock)",
    "software": "software",
    "softwarelicensing": "software licences",
    "suppliers": "suppliers",
    "invoices": "invoices",
    "quotes": "quotations",
    "sales": "sales",
    "sos": "sales orders",
    "pos": "purchase orders",
    "reporting": "reports",
}
SCOPE_READ = "See {words}"
SCOPE_EDIT = "Create and change {words}"
SCOPE_READ_REPORTING = "List reports"
SCOPE_EDIT_REPORTING = "Run, create and change reports"
SCOPE_TEXTS = {
    "editMine:timesheets": "Change only the agent's own timesheet",
    "access:chat": "Use chat",
    "access:adpasswordreset": "Reset Active Directory passwords",
    "admin:webhooks": "Manage webhooks",
    "all": "Everything in Halo, including administration",
    "all:standard": "Everything except administration",
    "all:teams": "Everything, limited to the agent's teams",
    "admin": "Halo's administration (configuration)",
}
SCOPE_IMPLIED = "Included in {scope}"
SCOPE_CHECK_NAME = "{scope}: {text}"
SCOPES_BROAD_WARNING = (
    "Broad scopes are ticked. They give the connection far more than one tool needs; "
    "prefer the named scopes above."
)
# The scopes the chosen tool's recipe ticks, and why (the recipe's note follows).
SCOPES_TOOL_TICKED = "Ticked for {name}:"
SCOPES_TOOL_FIXED = "Ticked for {name}, which asks Halo for exactly these itself:"
SCOPES_TOOL_CHANGED = "Suggested for {name}:"
SCOPES_TOOL_RESTORE = "&Use {name}'s scopes"
SCOPES_TOOL_RESTORE_NAME = "Tick the tool's own scopes again"
# {Name} is the tool at a sentence's start, {name} within one.
SCOPES_TOOL_MISSING = (
    "{Name} asks Halo for {scopes} itself, whatever is ticked here: with {missing} "
    "unticked, {name}'s token is expected to come without {missing} (Halo was seen giving "
    "only what the application allows), and what {name} does with it fails. The test shows "
    "what Halo grants."
)
SCOPES_TOOL_RETICK = "&Tick them again"
SCOPES_BROAD_FROM_TOOL = (
    "{scopes} reaches far more than most tools need; it is ticked because {name} asks for "
    "it (see above). Keep what the connection can reach small with the agent's role, teams "
    "and customer restrictions."
)
SCOPES_TICK_TITLE = "Tick exactly these boxes in Halo"
SCOPES_TICK_INTRO = (
    "Open your API application in Halo, go to its <b>Permissions</b> tab, tick these boxes, "
    "untick all others, and click <b>Save</b>:"
)
SCOPES_TICK_NONE = "Nothing chosen yet."
SCOPES_COPY_LIST = "Copy the list"
SCOPES_COPY_LIST_NAME = "Copy the list of boxes to tick"
SCOPES_BLOCKED = "choose a purpose or tick at least one scope."

# ----- 5. Hostname -----

HOST_TITLE = "Your Halo address"
HOST_SUBTITLE = (
    "Copy it from your browser's address bar while signed in to Halo; paste it as it is."
)
HOST_LABEL = "Halo &address:"
HOST_NAME = "Halo address"
HOST_PLACEHOLDER = "https://yourcompany.halopsa.com"
HOST_WILL_USE = "The wizard will use:"
HOST_PRODUCT = "Recognised from the address: {product}."
HOST_CHANGED = "Changed from what you pasted:"
HOST_EMPTY = "Paste the address here. Anything after the name (such as /portal) is removed."
HOST_BLOCKED = "enter your Halo address."
HOST_BLOCKED_INVALID = "correct the address (see above)."

# ----- 6. Tenant -----

TENANT_TITLE = "Find your Halo"
TENANT_SUBTITLE = "The wizard asks your Halo about itself. No sign-in is needed for this."
TENANT_SEARCHING = "Looking for Halo at {host}…"
TENANT_SEARCHING_NAME = "Looking for Halo"
TENANT_CANCEL = "&Cancel"
TENANT_CANCEL_NAME = "Cancel looking for Halo"
TENANT_CANCELLED = "Stopped. Click Try again to look for Halo again."
TENANT_FOUND = "Found your Halo."
TENANT_FAILED = "Halo could not be found at {host}."
TENANT_TRY_AGAIN = "&Try again"
TENANT_TRY_AGAIN_NAME = "Look for Halo again"
TENANT_FACTS_NAME = "What Halo reports about itself"
FACT_PRODUCT = "Product:"
FACT_VERSION = "Version:"
FACT_TENANT = "Tenant:"
FACT_AUTH = "Authorisation server:"
FACT_ADDRESS = "Address:"
FACT_UNKNOWN = "not reported"
TENANT_NONE = "none (on-premise Halo)"
TENANT_ADVANCED = "&Advanced: use another tenant"
TENANT_ADVANCED_NAME = "Advanced: use another tenant"
TENANT_OVERRIDE_LABEL = "Tenant to &use:"
TENANT_OVERRIDE_NAME = "Tenant to use"
TENANT_OVERRIDE_HINT = (
    "Only if your Halo administrator or your tool's supplier told you to use a particular "
    "tenant. Leave it empty to use the tenant Halo reports."
)
TENANT_DIFFERS = (
    "Halo reports the tenant {reported} for this instance, not {given}. Token requests with "
    "another tenant usually fail; the test will tell."
)
TENANT_DIFFERS_ONPREM = (
    "This Halo is on-premise and reports no tenant, but you entered {given}. Leave it empty "
    "unless you were told otherwise; the test will tell."
)
TENANT_BLOCKED_BUSY = "wait until Halo has been found (or cancel)."
TENANT_BLOCKED_FAILED = (
    "fix the problem shown above (to change the address, click Back), then click Try again."
)
TENANT_BLOCKED_CANCELLED = "click Try again."

# ----- 7. Credentials -----

CRED_TITLE = "Client ID and secret"
CRED_SUBTITLE = "Copy both from your API application in Halo (its Details tab)."
CRED_CLIENT_ID_LABEL = "&Client ID:"
CRED_CLIENT_ID_NAME = "Client ID"
CRED_CLIENT_ID_PLACEHOLDER = "1a2b3c4d-0000-4000-8000-123456789abc"
CRED_SECRET_LABEL = "Client &secret:"
CRED_SECRET_NAME = "Client secret"
CRED_SECRET_PLACEHOLDER = "Paste the secret you copied when you clicked Generate"
CRED_REVEAL = "S&how"
CRED_HIDE = "H&ide"
CRED_REVEAL_NAME = "Show the secret"
CRED_HIDE_NAME = "Hide the secret"
CRED_ID_IS_SECRET = (
    "This looks like a client secret, not a Client ID. Paste it into the secret field "
    "below, and copy the Client ID from Halo's Details tab."
)
CRED_ID_NOT_GUID = (
    "A Halo Client ID looks like 1a2b3c4d-0000-4000-8000-123456789abc. Check that you "
    "copied all of it, after the application was saved."
)
CRED_SECRET_IS_ID = (
    "This looks like a Client ID, not a secret: a Halo client secret is about twice as "
    "long. Paste the Client ID into the field above. If you no longer have the secret, "
    "click Generate in Halo, copy the new secret, then click Save."
)
CRED_ID_CLEANED = (
    "Removed {removed} from the pasted Client ID: a Client ID never contains them. Leave "
    "them out in your tool too."
)
CRED_TRIMMED = (
    "Removed {removed} from the pasted secret: a Halo secret never contains them. Leave "
    "them out in your tool too."
)
# The keychains by the names admins know them by (keys: wizard.core.secrets' names). On
# Linux, "Secret Service" is what a keyring manager (GNOME Keyring, KWallet, KeePassXC)
# offers to programs: it is said in brackets, for whoever checks which one answers.
KEYCHAIN_NAMES = {
    "Secret Service (GNOME Keyring / KWallet)": "your desktop's keyring (Secret Service)",
    "macOS Keychain": "the macOS Keychain",
}
# What the keychain is called before it has been looked for.
KEYCHAIN_FALLBACK_NAME = "this computer's keychain"
# Check boxes and radio buttons cannot wrap: their texts stay short, details go below.
CRED_KEEP_TITLE = "Where to keep the secret"
CRED_REMEMBER = "In this computer's &keychain"
CRED_REMEMBER_NAME = "Keep the secret in this computer's keychain"
# Each place says who can read the secret there.
CRED_REMEMBER_WHERE = (
    "Kept in {name}, where programs running as you on this computer can read it: your own "
    "scripts, through the connection file, and this wizard, to test the connection again."
)
# After CRED_REMEMBER_WHERE, for a tool that runs in the cloud ({Name}: at a sentence's start).
CRED_REMEMBER_CLOUD = "{Name} does not run on this computer, so it cannot read it there."
CRED_REMEMBER_WHEN = "It is saved there when you save the connection file or click Finish."
CRED_REMEMBER_DEMO = (
    "In this demo the secret stays in memory and is forgotten when the demo closes; a real "
    "connection can keep it in this computer's keychain, where programs running as you on "
    "this computer can read it."
)
CRED_REMEMBER_NOWHERE = "No&where: I will type it into my tool"
CRED_REMEMBER_NOWHERE_NAME = "Keep the secret nowhere: I will type it into my tool"
CRED_REMEMBER_OFF = (
    "Only this wizard holds it, in memory, and forgets it when you close the wizard: type it "
    "into {name} before then."
)
CRED_KEYCHAIN_CHECKING = "Checking this computer's keychain…"
CRED_KEYCHAIN_NONE = (
    "No keychain can be used on this computer: {reason} The secret is kept in memory only, "
    "and forgotten when you close the wizard."
)
CRED_KEYCHAIN_TIMEOUT = (
    "The keychain did not answer within {seconds} seconds (it may be locked and waiting "
    "for a password in a window you cannot see). The secret is kept in memory only."
)
# JWT Assertion (Services): the Client ID alone, and the assertion's audience and issuer.
CRED_TITLE_KEY = "Client ID"
CRED_SUBTITLE_KEY = "Copy it from your API application in Halo (its Details tab), after Save."
CRED_KEY_NOTE = (
    "No secret: this application signs in with the private key made for it (JWT Assertion). "
    "Only the Client ID is needed."
)
CRED_ASSERTION_ADVANCED = "Ad&vanced: the assertion's audience and issuer"
CRED_ASSERTION_HINT = (
    "Halo does not publish which audience it expects: the test uses the token service's "
    "address, {audience}. Change these only if the test says Halo refused the assertion, or "
    "if the application in Halo names an Issuer. Leave a box empty for its default."
)
CRED_ASSERTION_HINT_NO_ADDRESS = (
    "Halo does not publish which audience it expects: the test uses the token service's "
    "address. Change these only if the test says Halo refused the assertion, or if the "
    "application in Halo names an Issuer. Leave a box empty for its default."
)
CRED_AUDIENCE_LABEL = "&Audience:"
CRED_AUDIENCE_NAME = "The assertion's audience"
CRED_AUDIENCE_PLACEHOLDER = "The token service's address"
CRED_ISSUER_LABEL = "&Issuer:"
CRED_ISSUER_NAME = "The assertion's issuer"
CRED_ISSUER_PLACEHOLDER = "The Client ID"
CRED_BLOCKED_KEY = "make the key pair (Back, on Create the application)."
# An application that exists already: how it proves who it is, and the key file it signs with.
CRED_METHOD_TITLE = "How the application proves who it is (its Authentication Method in Halo)"
CRED_METHOD_SECRET = "Client ID and Secre&t (Services)"
CRED_METHOD_KEY = "&JWT Assertion (Services): with its private key"
CRED_METHOD_KEY_TEXT = (
    "Choose this when the application's Authentication Method in Halo is JWT Assertion "
    "(Services). The test signs with the private key file made with the public key Halo holds; "
    "no secret is sent."
)
CRED_TITLE_KEY_FILE = "Client ID and private key"
CRED_SUBTITLE_KEY_FILE = (
    "Copy the Client ID from your API application in Halo (its Details tab), and choose the "
    "private key file it signs with."
)
CRED_KEY_FILE_NOTE = (
    "The file made with the public key the application in Halo holds, for example "
    "halo-private-key.pem from halo-wizard keygen. It is read here and stays on this computer."
)
CRED_KEY_CHOSEN = "The test signs with the private key in {path}."
CRED_BLOCKED_KEY_FILE = "choose the private key file."
CRED_BLOCKED_ID_AND_KEY = "enter the Client ID and choose the private key file."
# A key file, chosen on the credentials page or for a connection being diagnosed.
KEY_FILE_CHOOSE = "Choose the private &key file\u2026"
KEY_FILE_CHOOSE_NAME = "Choose the private key file"
KEY_FILE_DIALOG_TITLE = "Choose the private key file"
KEY_FILE_FILTER = "Private key files (*.pem *.key);;All files (*)"
KEY_FILE_READING = "Reading the private key from {path}\u2026"
KEY_FILE_TIMEOUT = "{path} could not be read within {seconds} seconds"
KEY_PEM_TIMEOUT = "the key could not be read within {seconds} seconds"
# {reason} is assertion.KeyFileError's: it names the file and says why.
KEY_FILE_UNUSABLE = (
    "This file cannot be used: {reason}. Click Choose the private key file to pick another."
)
CRED_BLOCKED_BOTH = "enter the Client ID and the secret."
CRED_BLOCKED_ID = "enter the Client ID."
CRED_BLOCKED_SECRET = "enter the client secret."

# ----- Support mode: open the connection to diagnose -----

OPEN_TITLE = "Open the connection"
OPEN_SUBTITLE = (
    "Start from what exists: a connection file, a saved profile, or the values typed into "
    "another tool."
)
OPEN_HOW = "Where is the connection?"
OPEN_FROM_FILE = "A connection &file"
OPEN_FROM_PROFILE = "A saved &profile"
OPEN_FROM_TEXT = "Values from another &tool"
OPEN_FILE_BUTTON = "&Open a connection file\u2026"
OPEN_FILE_BUTTON_NAME = "Open a connection file"
OPEN_FILE_HINT = (
    "The file this wizard saved (halo-connection-\u2026.json), or one a customer sent you. "
    "Nothing in it is changed until you save."
)
OPEN_FILE_DIALOG_TITLE = "Open a connection file"
OPEN_FILE_FILTER = "Connection files (*.json);;All files (*)"
OPEN_READING = "Opening {what}\u2026"
OPEN_FILE_TIMEOUT = "{path} could not be read within {seconds} seconds."
OPEN_PROFILES_NAME = "Saved profiles"
OPEN_PROFILES_NONE = "No profiles are saved on this computer yet. They are kept in {folder}."
OPEN_PROFILES_HINT = "Choose one to open it. Profiles are kept in {folder}."
OPEN_PROFILE_ROW = "{name}  \u2014  {host}  \u2014  {status}"
OPEN_PROFILE_NEVER = "never tested"
OPEN_PROFILE_WORKED = "worked at its last test, {when}"
OPEN_PROFILE_PROBLEMS = "had problems at its last test, {when}"
OPEN_PROFILE_BROKEN = "cannot be opened"
OPEN_PROFILE_NO_HOST = "address unknown"
PROFILE_RENAME = "&Rename\u2026"
PROFILE_RENAME_NAME = "Rename the chosen profile"
PROFILE_DUPLICATE = "D&uplicate\u2026"
PROFILE_DUPLICATE_NAME = "Copy the chosen profile under another name"
EXPORT_NOT_ACCEPTED_NOT_KEPT = (
    "Halo did not accept this secret or key in the last test, so it is not kept. Fix what "
    "the test found and test again."
)
EXPORT_SAVED_NOT_ACCEPTED = (
    "Halo did not accept the secret or key in the last test, so it was not kept (nothing "
    "kept before was touched). Fix what the test found, test again and save again."
)
EXPORT_IS_INPUT = (
    "{path} is a file the wizard reads (the private key); it is never written over. Choose "
    "another file."
)
EXPORT_IS_FOLDER = "{path} is a folder. Give a file name."
OPEN_FACT_TOOL = "&Judged as:"
OPEN_FACT_TOOL_NAME = "The tool this connection is for: the test judges it as that tool's"
OPEN_TOOL_NONE = "No particular tool"
OPEN_TOOL_ASK = (
    "Which tool is this connection for? Choose it to judge the connection as that tool's "
    "and to get its form on the last page."
)
PROFILE_DELETE = "&Delete\u2026"
PROFILE_DELETE_NAME = "Delete the chosen profile"
PROFILE_RENAME_TITLE = "Rename the profile"
PROFILE_RENAME_LABEL = "New name for \u201c{name}\u201d:"
PROFILE_DUPLICATE_TITLE = "Duplicate the profile"
PROFILE_DUPLICATE_LABEL = "Name of the copy of \u201c{name}\u201d:"
PROFILE_COPY_NAME = "{name} copy"
PROFILE_DELETE_TITLE = "Delete the profile?"
PROFILE_DELETE_QUESTION = "Delete the profile \u201c{name}\u201d?"
PROFILE_DELETE_SECRET = (
    "Its secret in {keychain} is deleted too: that entry was made for this profile alone. "
    "This cannot be undone."
)
PROFILE_DELETE_SECRET_KEPT = (
    "Its secret stays in {keychain}: another profile, or a connection file saved by an "
    "earlier version, may use the same entry. This cannot be undone."
)
PROFILE_DELETE_DAMAGED = (
    "The profile cannot be read, so the keychain entry it named (if any) cannot be known and "
    "stays where it is. This cannot be undone."
)
PROFILE_DELETE_NO_SECRET = "It keeps nothing in the keychain. This cannot be undone."
PROFILE_DELETE_BUTTON = "&Delete"
PROFILE_RENAMED = "Renamed \u201c{old}\u201d to \u201c{new}\u201d."
PROFILE_DUPLICATED = "Copied \u201c{old}\u201d to \u201c{new}\u201d."
PROFILE_DELETED = "Deleted the profile \u201c{name}\u201d."
PROFILE_DELETED_WITH_SECRET = "Deleted the profile \u201c{name}\u201d and its secret in {keychain}."
PROFILE_NOT_DELETED = "Nothing was deleted."
PROFILE_NOT_REMOVED = "The profile \u201c{name}\u201d could not be deleted: {reason}."
PROFILE_SECRET_NOT_REMOVED = "Its secret in the keychain was not removed: {reason}"
PROFILE_ENTRY_KEPT = "Its keychain entry was kept: another connection may use it."
PROFILE_TIMEOUT = "The profiles folder did not answer within {seconds} seconds."
OPEN_TEXT_LABEL = "Paste the &values from your tool's Halo settings:"
OPEN_TEXT_NAME = "Values pasted from another tool"
OPEN_TEXT_PLACEHOLDER = (
    "For example, from Rewst:\n"
    "Resource Server Hostname: yourcompany.halopsa.com\n"
    "Auth Server Hostname: yourcompany.halopsa.com/auth\n"
    "Tenant ID: yourcompany\n"
    "Client ID: 1a2b3c4d-0000-4000-8000-123456789abc"
)
OPEN_TEXT_HINT = (
    "From Rewst, n8n, CIPP, Nango, a Halo custom integration, Halo's API details page, a "
    "Connect-HaloAPI line, an e-mail, or lines such as HALO_HOST=yourcompany.halopsa.com. A "
    "secret in the text is never used: you type it below."
)
OPEN_TEXT_READ = "R&ead these values"
OPEN_TEXT_READ_NAME = "Read the pasted values"
OPEN_TEXT_EMPTY = "Paste the values first, then click Read these values."
OPEN_TEXT_FOUND = "Found:"
OPEN_TEXT_FOUND_NOTHING = "Found no Halo connection settings in the text."
OPEN_TEXT_FIELD = "\u2022 {what} (from {labels})"
# A value no label gave, taken for its shape alone (the one GUID, a plainly Halo address).
OPEN_TEXT_FIELD_BY_SHAPE = "\u2022 {what} (by its shape, on {line})"
OPEN_TEXT_FIELDS = {
    "host": "Halo address: {value}",
    "auth_url": "Authorisation server: {value}",
    "tenant": "Tenant: {value}",
    "client_id": "Client ID: {value}",
    "scopes": "Scopes: {value}",
    "secret": "A client secret, not used",
}
OPEN_TEXT_USUAL_AUTH = "the usual one, the Halo address + /auth"
OPEN_TEXT_ON_PREMISE = "On-premise Halo"
OPEN_TEXT_HOSTED = "Hosted by Halo"
OPEN_TEXT_NOT_FOUND = "Not found: {missing}."
OPEN_TEXT_MISSING = {
    "host": "the Halo address",
    "client_id": "the Client ID",
    "tenant": "the tenant (the test asks Halo for it)",
    "scopes": "the scopes (enter them below)",
}
# Replaces the command line's advice about a secret found in the text.
OPEN_TEXT_SECRET_NOTE = (
    "A client secret is in the text (under {labels}). It is not used from there: type it "
    "below. If the text is kept in a file, take the secret out of it."
)
# Replaces the command line's advice about a masked secret (or a placeholder) in the text.
OPEN_TEXT_SECRET_MASKED_NOTE = (
    "The client secret under {labels} is hidden (masked or a placeholder), so the text does "
    "not give it: type it below."
)
OPEN_TEXT_NOTE = "Note: {note}"
OPEN_TEXT_INCOMPLETE = (
    "The text does not give {missing}, so there is nothing to test yet. Add it to the text "
    "and read it again."
)
OPEN_PASTED_CONNECTION = "the pasted connection file"

OPEN_LOADED_TITLE = "What was opened"
OPEN_FACTS_NAME = "The connection that was opened"
OPEN_FACT_SOURCE = "Opened:"
OPEN_FACT_ADDRESS = "Halo address:"
OPEN_FACT_CLIENT_ID = "Client ID:"
OPEN_FACT_SCOPES = "S&copes to test:"
OPEN_FACT_SCOPES_NAME = "Scopes to test"
OPEN_SCOPES_PLACEHOLDER = "read:tickets read:customers"
OPEN_SCOPES_UNKNOWN = (
    "This program does not know {names}. The test sends it as typed, and Halo's answer "
    "decides: if Halo refuses it, check the spelling against the application's Permissions "
    "tab."
)
OPEN_FACT_TENANT = "Tenant:"
OPEN_FACT_LAST = "Last test:"
OPEN_FACT_SECRET = "Secret:"
OPEN_SOURCE_FILE = "the connection file {path}"
OPEN_SOURCE_PROFILE = "the profile \u201c{name}\u201d"
OPEN_SOURCE_TEXT = "the pasted values"
OPEN_TENANT_NOT_GIVEN = "not given: the test asks Halo"
OPEN_LAST_NEVER = "never tested"
OPEN_LAST_WORKED = "{when}: it worked"
OPEN_LAST_PROBLEMS = "{when}: it had problems"
OPEN_LAST_UNDATED = "at a time not recorded"
OPEN_SECRET_LOOKING = "Looking for the secret in {keychain}\u2026"
OPEN_SECRET_KEYCHAIN = "In {keychain}, in the entry this connection names. The test uses it."
OPEN_SECRET_FILE = "In the connection file itself. The test uses it."
OPEN_SECRET_MISSING = (
    "Not in {keychain} on this computer (the connection was saved on another computer, or "
    "its entry was removed). Type it below."
)
OPEN_SECRET_NOT_KEPT = "The connection keeps it nowhere. Type it below."
OPEN_SECRET_TYPED = "Type it below."
OPEN_SECRET_UNREADABLE = "{reason} Type the secret below."
OPEN_SECRET_KEYCHAIN_TIMEOUT = (
    "{keychain} did not answer within {seconds} seconds (it may be locked and waiting for a "
    "password in a window you cannot see). Type the secret below."
)
# A connection that signs with a private key (JWT Assertion) instead of sending a secret.
OPEN_FACT_KEY = "Private key:"
OPEN_KEY_LOOKING = "Looking for the private key in {keychain}\u2026"
OPEN_KEY_KEYCHAIN = (
    "In {keychain}, in the entry this connection names. The test signs with it; no secret is sent."
)
OPEN_KEY_FILE = "In the key file {path}. The test signs with it; no secret is sent."
OPEN_KEY_MISSING = (
    "Not in {keychain} on this computer: the connection was saved on another computer, or "
    "its entry was removed. Click Choose the private key file and pick the file the key was "
    "saved to (halo-private-key.pem, for example). If nobody has it any more, make a new key "
    "pair (halo-wizard keygen), paste its public key into the application in Halo, and choose "
    "the new private key file here."
)
OPEN_KEY_NOT_KEPT = (
    "The connection does not say where its private key is. Click Choose the private key "
    "file and pick it (halo-private-key.pem, for example)."
)
# How a refusal names the key read from the keychain entry.
OPEN_KEY_IN_KEYCHAIN = "the key in the keychain entry"
OPEN_KEY_FILE_UNUSABLE = (
    "The key file this connection names cannot be used: {reason}. Click Choose the private "
    "key file and pick the right one."
)
# {reason} is the keychain's own explanation, a sentence of its own.
OPEN_KEY_KEYCHAIN_UNREADABLE = (
    "{reason} Or click Choose the private key file and pick the file the key was saved to."
)
OPEN_KEY_KEYCHAIN_UNUSABLE = (
    "The private key in {keychain} cannot be used: {reason}. Click Choose the private key "
    "file and pick the file the key was saved to."
)
OPEN_KEY_KEYCHAIN_TIMEOUT = (
    "{keychain} did not answer within {seconds} seconds (it may be locked and waiting for a "
    "password in a window you cannot see). Unlock it and open the connection again, or click "
    "Choose the private key file."
)
OPEN_KEY_NEW_PAIR = (
    "This connection has no secret to replace. If the application in Halo now holds a new "
    "public key, choose the private key file made with it."
)
OPEN_ROTATE = "I &generated a new secret in Halo"
OPEN_ROTATE_NAME = "I generated a new secret in Halo"
OPEN_NEW_SECRET_LABEL = "Ne&w secret:"
OPEN_NEW_SECRET_NAME = "New client secret"
OPEN_NEW_SECRET_PLACEHOLDER = "Paste the new secret Halo showed when you clicked Generate"
OPEN_ROTATE_NOTE_KEYCHAIN = (
    "The test uses the new secret. It replaces the old one in {keychain} only once it has "
    "passed the test; until then the old one is kept."
)
OPEN_ROTATE_NOTE_FILE = (
    "The test uses the new secret. The file keeps the old one until you save the "
    "connection after the new one has passed the test."
)
OPEN_BAD_ADDRESS = "The connection's address cannot be used: {error}"
OPEN_BLOCKED = "open a connection file or a profile, or paste another tool's values and read them."
OPEN_BLOCKED_BUSY = "wait until the connection is open."
OPEN_BLOCKED_SECRET = "enter the client secret."
OPEN_BLOCKED_KEY = "choose the private key file."
OPEN_BLOCKED_NEW_SECRET = "enter the new secret."
OPEN_BLOCKED_SCOPES = "enter the scopes to test."
OPEN_BLOCKED_ADDRESS = "open a connection whose address can be used."

# ----- 8. Live test -----

TEST_TITLE = "Test the connection"
TEST_SUBTITLE = "A new token, then one read-only request per scope. Nothing is changed in Halo."
TEST_RUNNING = "Testing the connection…"
TEST_CANCELLED = "Test cancelled. Click Test again to run it."
TEST_NOT_RUN = "Not tested yet."
TEST_AGAIN = "&Test again"
TEST_AGAIN_NAME = "Test the connection again"
TEST_CANCEL = "&Cancel test"
TEST_CANCEL_NAME = "Cancel the test"
TEST_COPY_REPORT = "Copy the &report"
TEST_COPY_REPORT_NAME = "Copy the whole test report, for support"
TEST_CHECKLIST_TITLE = "What was tested"
TEST_CHECKLIST_NAME = "Checklist of the test"
TEST_FINDINGS_TITLE = "What the test found"
TEST_FIXED_NOTE = "After fixing something in Halo, click Test again: every test gets a new token."
TEST_MISMATCH_AGENT = (
    "You chose the application's own identity, but Halo says this application acts as an "
    "agent. In Halo, open the application and set \u201cAgent to log in as\u201d to "
    "\u201cApplication identity\u201d, or go Back and choose the agent."
)
TEST_MISMATCH_APPLICATION = (
    "You chose an API-only agent, but Halo says this application acts as itself (the "
    "application identity). In Halo, open the application and set \u201cAgent to log in "
    "as\u201d to your API-only agent, or go Back and choose the application identity."
)
TEST_MISMATCH_DIAGNOSE = (
    "The connection was set up to act as {chosen}, but Halo now says it acts as {seen}. In "
    "Halo, open the application and check \u201cAgent to log in as\u201d."
)
IDENTITY_WORDS = {"agent": "an agent", "application": "the application itself"}
# Support mode: what changed since the connection's last test, and the report.
TEST_CHANGES_TITLE = "What changed since the last test ({when})"
TEST_CHANGES_TITLE_UNDATED = "What changed since the last test"
TEST_CHANGES_NAME = "What changed since the last test"
TEST_CHANGES_NONE = "Nothing changed: Halo answers as it did then."
TEST_CHANGES_NEVER = "Never tested before, so there is nothing to compare with."
TEST_CHANGE_LINE = "\u2022 {change}"
TEST_CHANGE_NEW_FINDING = "new finding: {title}"
TEST_CHANGE_GONE_FINDING = "finding gone: {title}"
TEST_SAVE_REPORT = "Save re&port\u2026"
TEST_SAVE_REPORT_NAME = "Save a support report, a web page without the secret"
TEST_COPY_SUMMARY = "Copy s&ummary"
TEST_COPY_SUMMARY_NAME = "Copy a short summary for a ticket, without the secret"
REPORT_DIALOG_TITLE = "Save the support report"
REPORT_DIALOG_FILTER = "Web pages (*.html)"
REPORT_FILE_NAME = "halo-report-{name}.html"
REPORT_WRITING = "Writing the report\u2026"
REPORT_WRITTEN = (
    "Wrote the report to {path}. It holds no secret or token: it is safe to attach to a ticket."
)
REPORT_NOT_OVER_INPUT = (
    "The report was not written: {path} is the connection being diagnosed (or its key), which "
    "is never written over. Choose another name."
)
REPORT_NOT_WRITTEN = "The report was not written. {reason}"
REPORT_TIMEOUT = "The file could not be written within {seconds} seconds."
SUMMARY_COPIED = "Copied the summary. It holds no secret."
ROTATE_STORING = "The new secret passed the test; saving it in {keychain}\u2026"
ROTATE_REPLACED = "The new secret passed the test and replaced the old one in {keychain}."
ROTATE_FAILED = "The new secret did not pass; the old one is still in {keychain}."
ROTATE_NOT_TRIED = (
    "The new secret was not tried: the test stopped before asking Halo for a token. The old "
    "one is still in {keychain}."
)
ROTATE_STORE_FAILED = (
    "The new secret passed the test, but could not be saved in {keychain}: {reason} The old "
    "one is still there."
)
ROTATE_FILE_PASSED = (
    "The new secret passed the test. Save the connection to write it into the file; until "
    "then the file keeps the old one."
)
ROTATE_FILE_FAILED = "The new secret did not pass; the file still holds the old one."
ROTATE_FILE_NOT_TRIED = (
    "The new secret was not tried: the test stopped before asking Halo for a token. The file "
    "still holds the old one."
)
TEST_BLOCKED_BUSY = "wait for the test to finish (or cancel it)."
TEST_BLOCKED = "run the test (click Test again)."

# ----- 9. Export -----

EXPORT_TITLE = "Save the connection"
EXPORT_SUBTITLE = "Save the tested settings in a connection file that your tool can read."
EXPORT_TEST_FAILED_ADVICE = (
    "This connection does not work yet: go Back to the test to see how to fix it. You can "
    "still save the settings, for example to send them to support; the file records that "
    "the test failed."
)
# The tool's own form ("Type these into Rewst"), for every tool but the admin's own script.
EXPORT_SUBTITLE_TOOL = (
    "Type the tested values into {name}; keep the connection to test it again later."
)
FORM_TITLE = "Type these into {name}"
FORM_TITLE_COMMAND = "The command for the {name}"
EXPORT_SUBTITLE_COMMAND = (
    "Copy the tested connection's command for the {name}; keep the connection to test it "
    "again later."
)
FORM_INTRO_COMMAND = (
    "It connects the {name} to this Halo. The secret is a placeholder unless you click Copy "
    "with the secret."
)
FORM_YOUR_TOOL = "your tool"
FORM_INTRO = (
    "Each value under {name}'s own label for it, in the order {name} shows them. Select a "
    "value, or click Copy beside it."
)
FORM_INTRO_OTHER = (
    "Each value under Halo's own name for it, as on Halo's API Details page: your tool's "
    "labels may differ a little. Select a value, or click Copy beside it."
)
FORM_NOT_TESTED = (
    "The values for {name} appear here once the connection has passed the test: they come "
    "from what Halo answered, not only from what was typed. Go Back to the test and run it."
)
FORM_TEST_FAILED = (
    "The values for {name} are not shown yet: the last test found problems, and values "
    "typed into {name} now would not work either. Go Back to the test, fix what it found, "
    "and test again."
)
FORM_SECRET_HIDDEN = "Your client secret: not shown here."
FORM_INFERRED = "(label as the tool's guide describes it)"
# Beside the button that copies the secret, read before it is clicked.
FORM_SECRET_NOTE = (
    "Paste the secret as soon as it is copied, then copy something else, so that it does not "
    "stay on the clipboard."
)
FORM_COPY = "Copy"
FORM_COPY_NAME = "Copy {label}"
FORM_COPY_SECRET = "Copy the secret"
FORM_COPY_SECRET_NAME = "Copy the client secret"
FORM_COPY_WITH_SECRET = "Copy with the secret"
FORM_COPY_WITH_SECRET_NAME = "Copy {label} with the client secret in it"
FORM_COPIED = "Copied {label}."
FORM_COPIED_PLACEHOLDER = (
    "Copied {label}, with a placeholder where the secret goes: replace it, or click Copy "
    "with the secret."
)
# What to do after pasting is said beside the button (FORM_SECRET_NOTE).
FORM_COPIED_SECRET = "Copied the client secret: paste it into {name}'s {label} field now."
FORM_COPIED_WITH_SECRET = (
    "Copied {label} with the client secret in it: paste it where it is used now."
)
FORM_NO_SECRET = "There is no secret to copy: go Back and enter it."
EXPORT_FILE_FOR_LATER = (
    "This file is not read by {name}: it keeps the connection so that it can be tested "
    "again later (Diagnose an existing connection)."
)
EXPORT_SECRET_TITLE = "Where the secret is kept"
EXPORT_SECRET_KEYCHAIN = "In this computer's &keychain (recommended)"
# For a tool that runs in the cloud: it cannot read the keychain of this computer, so the
# keychain is not recommended, and the note below the choice says who can read it.
EXPORT_SECRET_KEYCHAIN_CLOUD = "In this computer's &keychain"
EXPORT_SECRET_KEYCHAIN_CLOUD_NOTE = (
    "{name} runs elsewhere and cannot read it: this is for your own scripts on this computer."
)
EXPORT_SECRET_KEYCHAIN_WHERE = "In {name}; the file only says where to find it."
EXPORT_SECRET_KEYCHAIN_UNAVAILABLE = "Not available: {reason}"
EXPORT_SECRET_EMBED = "In the connection file &itself"
EXPORT_SECRET_EMBED_WARNING = (
    "Anyone who can read the file can use this connection, with everything its scopes "
    "allow. Choose this only if your tool cannot read the keychain, never send the file "
    "by e-mail, and delete it once your tool has read it. On macOS and Linux the file can "
    "be read only by you."
)
EXPORT_SECRET_NONE = "No&where: I will type it into my tool myself"
EXPORT_SECRET_NONE_NOTE = "The secret is forgotten when you close the wizard."
EXPORT_SECRET_NAME = "Where the secret is kept"
# JWT Assertion (Services): where the private key is kept (never in the connection file).
EXPORT_KEY_TITLE = "Where the private key is kept"
EXPORT_KEY_KEYCHAIN = "In this computer's &keychain (recommended)"
EXPORT_KEY_KEYCHAIN_WHERE = (
    "In {name}, beside where a secret would be; the connection file only says where."
)
EXPORT_KEY_DEMO_KEYCHAIN = "In &memory, for this demo only"
EXPORT_KEY_DEMO_MEMORY = (
    "Kept in memory for this demo only, and forgotten when the demo closes; a real "
    "connection keeps it in this computer's keychain."
)
EXPORT_KEY_FILE = "&In a key file of its own"
EXPORT_KEY_FILE_NOTE = (
    "For a tool that reads the key from a file: halo-private-key.pem, readable only by you, "
    "with halo-public-key.pem beside it. The connection file names it."
)
EXPORT_KEY_SAVE_FILE = "Save the private key to a file\u2026"
EXPORT_KEY_SAVE_FILE_NAME = "Save the private key to a file, readable only by you"
EXPORT_KEY_DIALOG_TITLE = "Choose the folder for halo-private-key.pem"
EXPORT_KEY_WRITING = "Writing the key files\u2026"
EXPORT_KEY_WRITTEN = (
    "Saved the private key to {path}, readable only by you, and the public key to {public}."
)
EXPORT_KEY_WRITTEN_BEFORE = "The private key is saved in {path}."
EXPORT_KEY_FILES_EXIST = (
    "{folder} already holds halo-private-key.pem or halo-public-key.pem, so nothing was "
    "written: they may be the key Halo holds now. Choose another folder."
)
EXPORT_KEY_NOT_WRITTEN = "The key files were not written: {reason}."
EXPORT_KEY_NEVER_IN_FILE = (
    "The private key itself is never written into the connection file, and never sent to Halo."
)
EXPORT_KEY_NO_FILE = (
    "Save the private key to a file first (the button above), or keep it in the keychain."
)
EXPORT_KEY_STORING = "Saving the private key in {name}\u2026"
EXPORT_KEY_FINISH_STORED = "The private key is saved in {name}."
EXPORT_KEY_FINISH_NO_FILE = (
    "The private key is not saved yet, and it is lost when the wizard closes (with it, the "
    "public key in Halo is of no use). Save it to a file, or keep it in the keychain."
)
EXPORT_SAVED_KEY_KEYCHAIN = (
    "The private key is in {name}: look for \u201c{service}\u201d, account \u201c{account}\u201d. "
    "The file only says where."
)
EXPORT_SAVED_KEY_FILE = "The file names the private key {path}; the key is not in it."
EXPORT_SAVED_KEY_DEMO_MEMORY = (
    "The private key is kept in memory for this demo only, not in this computer's keychain."
)
EXPORT_FILE_TITLE = "Connection file"
EXPORT_PATH_LABEL = "Save &to:"
EXPORT_PATH_NAME = "Where to save the connection file"
EXPORT_CHOOSE = "C&hoose…"
EXPORT_CHOOSE_NAME = "Choose where to save the connection file"
EXPORT_SAVE = "&Save connection file"
EXPORT_SAVE_NAME = "Save the connection file"
EXPORT_DIALOG_TITLE = "Save the connection file"
EXPORT_DIALOG_FILTER = "Connection files (*.json)"
EXPORT_SAVING = "Saving…"
EXPORT_STORING = "Saving the secret in {name}…"
EXPORT_SAVED = "Saved to {path}"
# {service} and {account} are what the keychain's own manager lists the entry under.
EXPORT_SAVED_KEYCHAIN = "The secret is in {name}: look for “{service}”, account “{account}”."
EXPORT_SAVED_EMBEDDED = "The secret is in the file: keep the file private."
EXPORT_SAVED_NONE = "The secret is not in the file: your tool will need it from you."
EXPORT_NOT_SAVED = "Not saved. {reason}"
EXPORT_OPEN_FOLDER = "Show in f&older"
EXPORT_OPEN_FOLDER_NAME = "Show the saved file's folder"
# {reason} is the keychain's own explanation: "Could not save the secret: ... is locked..."
EXPORT_KEYCHAIN_FAILED = (
    "{reason} Nothing was written. Try again, or choose another place for the secret above."
)
KEYCHAIN_NO_ANSWER = (
    "{name} did not answer within {seconds} seconds: it may be locked and waiting for a "
    "password in a window you cannot see. Unlock it and try again."
)
EXPORT_KEYCHAIN_TIMEOUT = (
    "{name} did not answer within {seconds} seconds: it may be locked and waiting for a "
    "password in a window you cannot see. Nothing was written. Unlock it and try again, or "
    "choose another place for the secret above."
)
EXPORT_NO_PATH = "Choose where to save the file first."
EXPORT_ENV_TITLE = "For scripts"
EXPORT_SHELL_LABEL = "She&ll:"
EXPORT_SHELL_NAME = "Shell for the environment variables"
SHELL_NAMES = {
    "posix": "macOS or Linux terminal (bash, zsh)",
    "powershell": "Windows PowerShell",
    "cmd": "Windows Command Prompt",
}
EXPORT_COPY_ENV = "Copy as &environment variables"
EXPORT_COPY_ENV_NAME = "Copy the connection as environment variables"
EXPORT_ENV_COPIED = (
    "Copied the commands that set HALO_HOST, HALO_CLIENT_ID and the other settings. "
    "The secret is not included."
)
EXPORT_ENV_COPIED_KEY = (
    "Copied the commands that set HALO_HOST, HALO_CLIENT_ID, HALO_AUTH_METHOD, the "
    "assertion's audience and issuer, and the other settings. The private key is not "
    "included: a comment says where it is."
)
EXPORT_ENV_FAILED = "Not copied: {reason}"
EXPORT_FINISH_STORING = "Saving the secret in {name} before closing…"
EXPORT_FINISH_STORED = "The secret is saved in {name}."
DEFAULT_FILE_NAME = "halo-connection-{name}.json"
# Support mode: Save updates what the connection came from.
EXPORT_SUBTITLE_DIAGNOSE_FILE = "Save the new test result in the file the connection came from."
EXPORT_SUBTITLE_DIAGNOSE_PROFILE = "Save the new test result in the profile \u201c{name}\u201d."
EXPORT_PROFILE_TITLE = "Profile"
EXPORT_PROFILE_NOTE = (
    "The profile \u201c{name}\u201d is updated with this test's result. It is kept in {path}."
)
EXPORT_SAVE_PROFILE = "&Save the profile"
EXPORT_SAVE_PROFILE_NAME = "Save the profile"
EXPORT_SAVED_PROFILE = "Saved the profile \u201c{name}\u201d ({path})"

# ----- an error inside the wizard (wizard/ui/crash.py) -----

CRASH_TITLE = "The wizard ran into a problem"
CRASH_HEADING = "Something went wrong inside the wizard."
CRASH_NOT_YOUR_FAULT = (
    "This is a fault in the wizard, not something you did. You can keep going, or quit and "
    "start the wizard again. The wizard only reads from Halo, so nothing in Halo has changed."
)
CRASH_FINAL = (
    "This is a fault in the wizard, not something you did, and the wizard has to close. "
    "Start it again to carry on. The wizard only reads from Halo, so nothing in Halo has "
    "changed."
)
CRASH_WHAT = "What happened: {summary}"
CRASH_LOG = "The details are in the log file:\n{path}"
CRASH_NO_LOG = "No log file is being written: {reason}"
CRASH_MORE = "{count} more error{s} happened while this message was open; see the log file."
CRASH_ASK_SUPPORT = (
    "If this keeps happening, click Copy report and send it to whoever supports the wizard "
    "for you. The report contains no secret."
)
CRASH_COPY = "&Copy report"
CRASH_COPY_NAME = "Copy a report of the error for support"
CRASH_COPIED = "Copied the report."
CRASH_OPEN_LOG = "Open &log folder"
CRASH_OPEN_LOG_NAME = "Open the folder that holds the log file"
CRASH_OPEN_LOG_FAILED = "The folder could not be opened: {path}"
CRASH_KEEP_GOING = "&Keep going"
CRASH_QUIT = "&Quit"
# The report a supporter receives; English whatever the window's language.
CRASH_REPORT = (
    "Halo connection wizard {version}: error report\n"
    "Operating system: {os}\n"
    "Python: {python}\n"
    "Qt: {qt}\n"
    "Packaged app: {frozen}\n"
    "Log file: {log}\n"
    "\n"
    "{traceback}"
)


def plural(count: int) -> str:
    """The "s" of "2 problems"; English only, like the rest of this file."""
    return "" if count == 1 else "s"


def sentence_start(words: str) -> str:
    """`words` at the start of a sentence: "your desktop's keyring" -> "Your desktop's..."."""
    return words[:1].upper() + words[1:]


# ----- files are never lost; the demo keeps to itself -----

DEMO_EXPLAINED_IN_MEMORY = (
    "Runs on this computer; nothing goes to a real Halo. Its secret stays in memory, its "
    "files in a folder of its own."
)
DEMO_KEYCHAIN_NAME = "the demo's memory (for this demo only)"
DEMO_CHANGED_TEST = "Situation changed: the last test no longer holds."
DEMO_CHANGED_DISCOVERY = "Situation changed: what was found no longer holds."
DEMO_CHANGED_TEST_AGAIN = "Test a&gain"
DEMO_CHANGED_GO_TEST = "Test a&gain"
DEMO_CHANGED_LOOK = "Look a&gain"
DEMO_ADDRESS_MOVED = "This situation's Halo is at {url}: the address was changed to it."
EXPORT_NOT_TESTED = "Not tested in this situation yet: go Back to the test and run it again."
EXPORT_SECRET_DEMO_MEMORY = (
    "Kept in memory for this demo only, and forgotten when the demo closes; a real "
    "connection uses this computer's keychain."
)
EXPORT_SECRET_DEMO_KEYCHAIN = "In &memory, for this demo only"
EXPORT_SAVED_DEMO_MEMORY = (
    "The secret is kept in memory for this demo only, not in this computer's keychain."
)
EXPORT_REPLACE_TITLE = "Replace the connection file?"
EXPORT_REPLACE_QUESTION = "{name} already exists. Replace it?"
EXPORT_REPLACE_DETAILS = (
    "It is in {folder} and was written {when}. Replacing it loses what it holds now."
)
EXPORT_REPLACE = "&Replace"
EXPORT_KEPT = (
    "Not saved: {path} was kept as it was. Choose another name, or save again to replace it."
)
EXPORT_WRITTEN_TODAY = "today at {time}"
EXPORT_WRITTEN_YESTERDAY = "yesterday at {time}"
EXPORT_WRITTEN_ON = "on {day} at {time}"
EXPORT_WRITTEN_UNKNOWN = "at a time that could not be read"

# A finding's button to the page where its fix is typed (wizard/flow/fixes.py names the field).
FIX_GO_TO: dict[str, str] = {
    "secret": "Enter the secret again",
    "new_secret": "Enter a new secret",
    "client_id": "Enter the Client ID again",
    "address": "Correct the address",
    "override": "Change the tenant",
    "audience": "Change the audience or issuer",
    "key_file": "Choose another key file",
}

# A warning the wizard adds to a result (the identity Halo reported is not the one chosen).
MISMATCH_WARNING_NAME = "Halo acts as another identity than the one chosen"
# The Save page's line about the test: "Tested 2026-12-01 14:05: the connection works."
EXPORT_TESTED = "Tested {when}: {result}"
