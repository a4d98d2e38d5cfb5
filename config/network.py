"""Which addresses a feed may live at: public ones only (private, loopback and link-local are refused).

The rule every outbound fetch applies (``crawlers/fetch/guard.py`` uses :func:`is_public` at each connection) and
the check the command line and the web admin make when a source is added, so its author gets a clear message at once.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass


def is_public(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip("[]").split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class HostCheck:
    """Whether a feed's host may be a source: ``refused`` says why not; ``warning`` is worth telling but no bar."""

    refused: str | None = None
    warning: str | None = None


def check_feed_host(host: str, allow_private: bool) -> HostCheck:
    """Resolve the host now and refuse it if it reaches a private, loopback or link-local address.

    A host that does not resolve now is let through with a warning: the check that matters runs at every fetch, where a
    later DNS answer is refused the same way, so this one is for clear messages.
    """
    if not host:
        return HostCheck(refused="the URL names no host")
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError, OSError, ValueError):
        return HostCheck(warning=f"the host {host!r} does not resolve now; its crawls fail until it does")
    private = sorted(a for a in addresses if not is_public(a))
    if private and not allow_private:
        return HostCheck(refused=f"the host {host!r} resolves to {private[0]}, a private address")
    return HostCheck()
