"""The app's real `Authenticator`: the `Authenticate` use case over the composed adapters.

The guard of `entrypoints.http.auth` asks an `Authenticator` for the principal behind a
credential; this one asks the use case, with a fresh unit of work per request and the moment
the guard gives (so the app's clock is the one that decides expiry). Logging out also needs
which access token is being ended, so `session` gives the whole `Authenticated`.
"""

from __future__ import annotations

from datetime import datetime

from attrs import frozen

from application.credit.authenticate import Authenticate, Authenticated
from domain.identity import Principal
from entrypoints.composition import Deps


@frozen
class _At:
    """A clock stopped at one moment: the one the request is judged at."""

    moment: datetime

    def now(self) -> datetime:
        return self.moment


@frozen
class UseCaseAuthenticator:
    """Bearer access tokens and API keys, checked against the database on every request."""

    deps: Deps

    def session(self, credential: str, now: datetime) -> Authenticated:
        """The caller behind `credential` at `now`, with the access token's id and expiry;
        `Unauthenticated` for anything not good right now."""
        return Authenticate(self.deps.uow(), _At(now), self.deps.tokens)(credential)

    def authenticate(self, credential: str, now: datetime) -> Principal:
        return self.session(credential, now).principal
