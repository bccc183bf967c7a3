"""Where a webhook may go: https to public addresses only (no SSRF into our own network).

The host is resolved once, every address it resolves to is checked, and the POST connects
to a checked address (``Target.address``): a second resolution could answer otherwise (DNS
rebinding). Checked when staff register the URL and again before every send.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class UnsafeURL(Exception):
    """The URL may not receive webhooks; the message says why, for staff."""


class UnresolvedHost(Exception):
    """The host did not resolve: perhaps a passing DNS failure, worth retrying."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as written, for the Host header and the TLS certificate
    port: int
    path: str  # with its query string
    address: str  # the checked IP address to connect to


def forbidden(address: str) -> bool:
    """Loopback, private, link-local, reserved, multicast, unspecified or otherwise not
    global: not a receiver on the Internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 scope (fe80::1%eth0)
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address inside an IPv6 one: ::ffff:127.0.0.1, 6to4 (2002:7f00:1::), Teredo.
        embedded = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
        if any(inner is not None and forbidden(str(inner)) for inner in embedded):
            return True
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def target(url: str) -> Target:
    """The URL's target, resolved and checked; raises UnsafeURL or UnresolvedHost."""
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.WEBHOOKS_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed:
        raise UnsafeURL(_("Seules les adresses https:// peuvent recevoir des webhooks."))
    if not parts.hostname or parts.username or parts.password:
        raise UnsafeURL(_("Indiquez une adresse complète, sans identifiant ni mot de passe."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # a port past 65535, or not a number
        raise UnsafeURL(
            _("Indiquez une adresse complète, sans identifiant ni mot de passe.")
        ) from None
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnresolvedHost(
            _("Le nom %(host)s ne correspond à aucune adresse.") % {"host": parts.hostname}
        ) from error
    addresses = [str(info[4][0]) for info in found]
    if not addresses:
        raise UnresolvedHost(
            _("Le nom %(host)s ne correspond à aucune adresse.") % {"host": parts.hostname}
        )
    if not settings.WEBHOOKS_ALLOW_PRIVATE and any(forbidden(a) for a in addresses):
        raise UnsafeURL(
            _(
                "Cette adresse mène à un réseau privé ou réservé (%(host)s) : les webhooks ne "
                "partent que vers des adresses publiques."
            )
            % {"host": parts.hostname}
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])
