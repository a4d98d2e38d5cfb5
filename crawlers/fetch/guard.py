"""Outbound requests reach public addresses only.

A source URL is untrusted input (an admin pastes it; a feed's pagination or a redirect names the next one), so a crawl
must not become a way into the machine's own network. Two checks: a downloader middleware refuses URLs whose host is
a private, loopback or link-local IP literal, and the DNS resolver refuses any name that resolves to one. The
resolver's check is the one the connection actually uses, so redirects and DNS rebinding can't slip past it.
``JOBSIFT_ALLOW_PRIVATE_NETWORKS=1`` lifts both, for tests and the demo, which serve feeds on loopback.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from config.network import is_public

# Names the resolver refused in this process (one crawl batch). Twisted reports a refused name as an ordinary failed
# lookup, so the spider asks here to tell "blocked" from "does not exist".
refused_hosts: dict[str, str] = {}


class BlockedAddress(IgnoreRequest):
    """The request would reach a private, loopback, link-local or otherwise non-public address."""


class _RefusedName(DNSLookupError):
    """A name that resolved to a non-public address; to Twisted, a lookup that found nothing usable."""


def refusal(url: str) -> str | None:
    """Why the resolver refused this URL's host, if it did."""
    host = urlsplit(url).hostname or ""
    address = refused_hosts.get(host)
    return f"{host} resolves to {address}, a private address" if address else None


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


class PrivateAddressMiddleware:
    """Refuses IP-literal hosts that are not public (names are checked by :class:`GuardedResolver`)."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.getbool("JOBSIFT_ALLOW_PRIVATE_NETWORKS"))

    def process_request(self, request: Request) -> None:
        if self.allow_private:
            return
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        if parts.scheme not in {"http", "https"}:
            raise BlockedAddress(f"{request.url}: only http and https URLs are fetched")
        if _ip_literal(host) and not is_public(host):
            raise BlockedAddress(f"{request.url}: {host} is a private address")


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing names that resolve to a non-public address."""

    allow_private = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> Self:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = crawler.settings.getbool("JOBSIFT_ALLOW_PRIVATE_NETWORKS")
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> Deferred[str]:
        resolved = super().getHostByName(name, timeout)
        if self.allow_private:
            return resolved

        def check(address: str) -> str:
            if not is_public(address):
                refused_hosts[name] = address
                raise _RefusedName(f"{name} resolves to {address}, a private address")
            return address

        return resolved.addCallback(check)
