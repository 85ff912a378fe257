"""Webhook calls over HTTP (`WebhookSender`), with the standard library's urllib.

The request arrives signed (`application.credit.deliver_notification` signs it with the
endpoint's secret); this adapter only posts it. Anything but a 2xx answer within the timeout is
a failure, redirects included: a redirected POST would reach a URL nobody registered, or arrive
as a GET without its body. Only http and https are spoken (urllib alone would also open file:
and ftp: URLs). Proxies named by the usual environment variables are honoured, as for any
outgoing call of the host.

Failures become `DeliveryFailed` naming the status or the network problem, never the URL (its
query string may hold the receiver's own token) nor the response body (which may echo anything).

Endpoint URLs are typed in by tenant admins, so a call must not become a way into the host's own
network (server-side request forgery): unless `allow_private_networks` is set, a call is only
made to a public address. The check is on the address the socket actually connected to, after
the connection and before a byte of the request is sent, so a name that resolves to a public
address when registered and to 127.0.0.1 later (DNS rebinding) is refused as well. Through a
proxy the socket's peer is the proxy, so there the endpoint's name is resolved and every address
it has must be public.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import IO

from attrs import frozen

from application.ports import DeliveryFailed, WebhookRequest

USER_AGENT = "creditdesk-webhooks/1"
#: A receiver's answer is read (so the connection ends cleanly) up to this much, then dropped.
MAX_ANSWER_BYTES = 64 * 1024


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(  # noqa: PLR0917 - urllib's signature
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None  # the 3xx answer then fails like any other non-2xx


NOT_PUBLIC = (
    "the endpoint's address is not public (loopback, private, link-local or reserved); "
    "set CREDITDESK_WEBHOOK_ALLOW_PRIVATE=true to allow calls into private networks"
)


def is_public(address: str) -> bool:
    """Whether an IP address is one on the public internet (IPv4-mapped IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _NotPublic(OSError):
    """Raised from inside urllib's connection, and turned into `DeliveryFailed` by `post`."""


class _PeerCheck(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        peer = str(self.sock.getpeername()[0])
        if not is_public(peer):
            self.sock.close()
            raise _NotPublic(NOT_PUBLIC)


class _CheckedHTTPSConnection(http.client.HTTPSConnection, _PeerCheck):
    """HTTPS whose TCP connection is checked before the TLS handshake (`HTTPSConnection.connect`
    calls the plain connect first, which the method resolution order makes `_PeerCheck`'s)."""


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PeerCheck, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_CheckedHTTPSConnection, req, context=ssl.create_default_context())


def _proxied(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    proxies = urllib.request.getproxies()
    return parts.scheme in proxies and not urllib.request.proxy_bypass(parts.hostname or "")


def _every_address_public(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        found = socket.getaddrinfo(parts.hostname or "", parts.port or 443, type=socket.SOCK_STREAM)
    except OSError:
        return True  # unresolvable here: the proxy answers for it, and the call fails there
    return all(is_public(str(info[4][0])) for info in found)


def _opener(checked: bool) -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    plain = _CheckedHTTPHandler() if checked else urllib.request.HTTPHandler()
    secure = _CheckedHTTPSHandler() if checked else urllib.request.HTTPSHandler()
    for handler in (
        urllib.request.ProxyHandler(),
        plain,
        secure,
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _RefuseRedirects(),
    ):
        opener.add_handler(handler)
    return opener


@frozen
class HttpWebhookSender:
    timeout: float = 10.0
    #: Off by default: calls go to public addresses only (see the module's docstring).
    allow_private_networks: bool = False

    def post(self, request: WebhookRequest) -> None:
        if not request.url.lower().startswith(("http://", "https://")):
            raise DeliveryFailed("the endpoint URL is not http:// or https://")
        guarded = not self.allow_private_networks
        proxied = _proxied(request.url)
        if guarded and proxied and not _every_address_public(request.url):
            raise DeliveryFailed(NOT_PUBLIC)
        outgoing = urllib.request.Request(  # noqa: S310 - the scheme is checked just above
            request.url,
            data=request.body,
            headers=self._headers(request.headers),
            method="POST",
        )
        try:
            opener = _opener(checked=guarded and not proxied)
            with opener.open(outgoing, timeout=self.timeout) as answer:
                answer.read(MAX_ANSWER_BYTES)
        except urllib.error.HTTPError as answered:
            answered.close()
            raise DeliveryFailed(f"the endpoint answered HTTP {answered.code}") from None
        except urllib.error.URLError as failed:
            raise DeliveryFailed(self._unreachable(failed.reason)) from None
        except TimeoutError:
            raise DeliveryFailed(self._late()) from None
        except (OSError, http.client.HTTPException) as failed:
            raise DeliveryFailed(self._unreachable(failed)) from None

    @staticmethod
    def _headers(given: Mapping[str, str]) -> dict[str, str]:
        return {"User-Agent": USER_AGENT, **given}

    def _late(self) -> str:
        return f"the endpoint did not answer within {self.timeout:g} s"

    def _unreachable(self, reason: object) -> str:
        if isinstance(reason, _NotPublic):
            return NOT_PUBLIC
        if isinstance(reason, TimeoutError):
            return self._late()
        if isinstance(reason, ConnectionRefusedError):
            return "the endpoint refused the connection"
        if isinstance(reason, socket.gaierror):
            return "the endpoint's host name did not resolve"
        if isinstance(reason, OSError) and reason.strerror:
            return f"the endpoint could not be reached: {reason.strerror}"
        return f"the endpoint could not be reached: {type(reason).__name__}"
