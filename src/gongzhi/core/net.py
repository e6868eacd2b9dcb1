"""Who is at the other end of a request.

``REMOTE_ADDR`` is the address that connected to us. Behind a reverse proxy that is
the proxy, and the client is in ``X-Forwarded-For`` — a header anyone can send. It
is believed only when the connection comes from a proxy listed in
``GONGZHI_TRUSTED_PROXIES``, and then only the hops those proxies appended: reading
from the right, the first address that is not one of our proxies is the client.
Every rate limit keys on this one function.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The client's address, as far as our own proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a hop our proxy did not write: trust nothing beyond it
        if not _trusted(hop, networks):
            return hop
    return remote
