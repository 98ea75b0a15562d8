"""Turn whatever an admin pastes as "the Halo address" into the agent web app's https://host[:port]."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from wizard.core import messages
from wizard.core.cleaning import clean_address, describe

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):/*")
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")

# Hosted Halo domains and the product each one serves.
HOSTED_DOMAINS: dict[str, str] = {
    "halopsa.com": "HaloPSA",
    "haloitsm.com": "HaloITSM",
    "haloservicedesk.com": "HaloServiceDesk",
    "halocrm.io": "HaloCRM",
    "usehalo.com": "Halo",
}


class HostInvalid(ValueError):
    """The text cannot be a Halo address; the message says why, in plain English."""


@dataclass(frozen=True)
class HostAddress:
    """The address that will be used, and what was changed to get it."""

    scheme: str
    host: str
    port: int | None
    notes: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.netloc}"

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"

    @property
    def is_loopback(self) -> bool:
        return is_loopback_host(self.host)

    @property
    def hosted_domain(self) -> str | None:
        """The Halo cloud domain this host is under (halopsa.com...), if any."""
        for domain in HOSTED_DOMAINS:
            if self.host == domain or self.host.endswith("." + domain):
                return domain
        return None

    @property
    def product_hint(self) -> str | None:
        """The product the domain suggests, before Halo has been asked."""
        domain = self.hosted_domain
        return HOSTED_DOMAINS[domain] if domain else None


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _split_scheme(text: str) -> tuple[str | None, str]:
    match = _SCHEME.match(text)
    if not match:
        return None, text
    scheme = match.group(1).lower()
    rest = text[match.end() :]
    # "localhost:8080" looks like a scheme followed by a port; it is a host.
    if scheme not in ("http", "https") and "://" not in text[: match.end() + 1]:
        return None, text
    if scheme not in ("http", "https"):
        raise HostInvalid(f"{scheme}:// is not a web address. A Halo address starts with https://.")
    return scheme, rest


def _split_port(authority: str) -> tuple[str, int | None]:
    if authority.startswith("["):
        end = authority.find("]")
        if end < 0:
            raise HostInvalid("The address has a [ without its closing ].")
        host, rest = authority[1:end], authority[end + 1 :]
        if rest and not rest.startswith(":"):
            raise HostInvalid("Unexpected text after the IPv6 address.")
        port_text = rest[1:] if rest else None
    elif authority.count(":") > 1:
        host, port_text = authority, None  # a bare IPv6 address
    elif ":" in authority:
        host, port_text = authority.split(":", 1)
    else:
        host, port_text = authority, None
    if port_text is None or port_text == "":
        return host, None
    if not port_text.isascii() or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise HostInvalid(f'"{port_text}" is not a port number (1 to 65535).')
    return host, int(port_text)


def _check_host(host: str) -> str:
    host = host.lower().rstrip(".")
    if not host:
        raise HostInvalid("There is no host name in the address.")
    if ":" not in host:
        return _check_name(host)
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        raise HostInvalid(f'"{host}" is not a valid IP address.') from None


def _check_name(host: str) -> str:
    if re.fullmatch(r"[0-9.]+", host):
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            raise HostInvalid(f'"{host}" is not a valid IP address.') from None
    bad = sorted({c for c in host if c.isspace() or c in "\\\"'<>{}|^`,;!$&()*+=%"})
    if bad:
        shown = " ".join("space" if c.isspace() else c for c in bad)
        raise HostInvalid(f"A host name cannot contain these characters: {shown}.")
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise HostInvalid(f'"{host}" is not a valid host name.') from None
    if ascii_host != host and re.fullmatch(r"[0-9.]+", ascii_host):
        # A name like "²" becomes "2" once encoded: it must then pass as an IP address.
        return _check_name(ascii_host)
    if len(ascii_host) > 253:
        raise HostInvalid("The host name is longer than 253 characters.")
    for label in ascii_host.split("."):
        if not label:
            raise HostInvalid(f'"{host}" has two dots in a row or starts with a dot.')
        if len(label) > 63:
            raise HostInvalid("One part of the host name is longer than 63 characters.")
        if not _LABEL.match(label):
            raise HostInvalid(
                f'"{label}" cannot be part of a host name: use letters, digits and '
                "dashes, not starting or ending with a dash."
            )
    return ascii_host


def normalise_host(text: str) -> HostAddress:
    """Return the agent web app address for `text`, or raise HostInvalid saying what is wrong."""
    pasted = clean_address(text or "")
    cleaned = pasted.value
    if not cleaned:
        raise HostInvalid("No address was entered.")
    if any(c.isspace() for c in cleaned):
        raise HostInvalid("An address cannot contain spaces or line breaks.")
    notes: list[str] = []
    if pasted.removed:
        notes.append(messages.ADDRESS_CLEANED.format(removed=describe(pasted.removed)))
    scheme, rest = _split_scheme(cleaned)
    rest = rest.replace("\\", "/")
    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, tail = rest[:cut], rest[cut:]
    if "@" in authority:
        authority = authority.rsplit("@", 1)[1]
        notes.append("Removed the user name before @ (Halo addresses have none).")
    host_text, port = _split_port(authority)
    host = _check_host(host_text)
    loopback = is_loopback_host(host)

    if scheme is None:
        scheme = "https"
        notes.append("Added https:// (Halo is always reached over a secure connection).")
    elif scheme == "http" and not loopback:
        scheme = "https"
        notes.append("Changed http:// to https://: Halo accepts only secure connections.")
    if (scheme, port) in (("https", 443), ("http", 80)):
        port = None

    path = tail.split("?", 1)[0].split("#", 1)[0].strip("/")
    if path:
        first = path.split("/", 1)[0].lower()
        if first == "portal":
            notes.append("Removed /portal: that is the self-service portal, not the agent web app.")
        elif first in ("api", "auth"):
            notes.append(f"Removed /{path}: only the Halo address itself is needed.")
        else:
            notes.append(f"Removed /{path} from the end of the address.")
    elif "?" in tail or "#" in tail:
        notes.append("Removed the text after the address (? or #).")
    return HostAddress(scheme=scheme, host=host, port=port, notes=tuple(notes))


def normalise_url(text: str) -> str:
    """Normalise an auth server URL: keep its path, drop trailing slashes, query and fragment."""
    address = normalise_host(text)
    cleaned = clean_address(text).value
    _, rest = _split_scheme(cleaned)
    rest = rest.replace("\\", "/")
    slash = rest.find("/")
    path = rest[slash:] if slash >= 0 else ""
    path = path.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return address.url + path
