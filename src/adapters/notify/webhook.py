"""Webhook calls over HTTP (`WebhookSender`), with the standard library's urllib.

The request arrives signed (`application.credit.deliver_notification` signs it with the
endpoint's secret); this adapter only posts it. Anything but a 2xx answer within the timeout is
a failure, redirects included: a redirected POST would reach a URL nobody registered, or arrive
as a GET without its body. Only http and https are spoken (urllib alone would also open file:
and ftp: URLs). Proxies named by the usual environment variables are honoured, as for any
outgoing call of the host.

Failures become `DeliveryFailed` naming the status or the network problem, never the URL (its
query string may hold the receiver's own token) nor the response body (which may echo anything).
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
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


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _RefuseRedirects(),
    ):
        opener.add_handler(handler)
    return opener


@frozen
class HttpWebhookSender:
    timeout: float = 10.0

    def post(self, request: WebhookRequest) -> None:
        if not request.url.lower().startswith(("http://", "https://")):
            raise DeliveryFailed("the endpoint URL is not http:// or https://")
        outgoing = urllib.request.Request(  # noqa: S310 - the scheme is checked just above
            request.url,
            data=request.body,
            headers=self._headers(request.headers),
            method="POST",
        )
        try:
            with _opener().open(outgoing, timeout=self.timeout) as answer:
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
        if isinstance(reason, TimeoutError):
            return self._late()
        if isinstance(reason, ConnectionRefusedError):
            return "the endpoint refused the connection"
        if isinstance(reason, socket.gaierror):
            return "the endpoint's host name did not resolve"
        if isinstance(reason, OSError) and reason.strerror:
            return f"the endpoint could not be reached: {reason.strerror}"
        return f"the endpoint could not be reached: {type(reason).__name__}"
