"""`create_app(deps)`: the Litestar app over the use cases, the same for tests and production.

Everything the app needs comes in through `deps` (built once by `entrypoints.composition`) and
the `authenticator`; nothing is global, so a test builds an app over SQLite and fakes through
the same door as `creditdesk serve` does over PostgreSQL. The app adds, around every route: a
request id (on the response and every log line), request metrics, CORS from the settings, the
security headers, rate limits on login and intake, and problem+json for every error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from litestar import Controller, Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.spec import Components

from entrypoints.composition import Deps
from entrypoints.http import api_key_routes, applications, auth_routes, health
from entrypoints.http.admin_routes import AdminController
from entrypoints.http.analytics_routes import AnalyticsController
from entrypoints.http.audit_routes import AuditController
from entrypoints.http.auth import (
    PUBLIC,
    SECURITY_SCHEMES,
    Authenticator,
    provide_principal,
)
from entrypoints.http.authentication import UseCaseAuthenticator
from entrypoints.http.case_action_routes import CaseActionsController
from entrypoints.http.decision_routes import DecideController, DecisionsController
from entrypoints.http.docs import DOCS_CSP, OfflineDocsPlugin
from entrypoints.http.export_routes import ExportsController
from entrypoints.http.headers import response_headers
from entrypoints.http.limits import rate_limits
from entrypoints.http.metrics import AppMetrics, RequestMetricsMiddleware
from entrypoints.http.model_report_routes import ModelReportController
from entrypoints.http.portfolio_routes import PORTFOLIO_CONTROLLERS
from entrypoints.http.problems import EXCEPTION_HANDLERS
from entrypoints.http.queue_routes import QueueController
from entrypoints.http.request_id import RequestIdMiddleware
from entrypoints.http.schema_plugin import DomainSchemaPlugin
from entrypoints.http.second_opinion_routes import SecondOpinionsController
from entrypoints.http.testgen_routes import TESTGEN_CONTROLLERS
from entrypoints.http.threshold_routes import ThresholdsController
from entrypoints.llm_wiring import llm_budget
from entrypoints.web import pages, template_config

API_VERSION = "1.0.0"
DOCS_PATH = "/schema"


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="creditdesk API",
        version=API_VERSION,
        description="Human-in-the-loop credit decisions. Errors are RFC 9457 problem+json.",
        # The docs routes serve the document; they are not operations of the API it describes.
        openapi_router=Router(DOCS_PATH, route_handlers=[], opt=PUBLIC, include_in_schema=False),
        render_plugins=[OfflineDocsPlugin()],
        components=Components(security_schemes=dict(SECURITY_SCHEMES)),
    )


def create_app(
    deps: Deps,
    *,
    authenticator: Authenticator | None = None,
    probes: Mapping[str, health.Probe] | None = None,
    extra_routes: Sequence[BaseRouteHandler | Router | type[Controller]] = (),
    metrics: AppMetrics | None = None,
    debug: bool = False,
) -> Litestar:
    """The app over `deps`. Credentials are checked by the `Authenticate` use case unless an
    `authenticator` is given (tests give one that knows test tokens);
    `probes` replace the readiness checks of `deps` (database, broker, object store).
    Routes are `Controller` classes, because Litestar wraps a handler on registration: a
    module-level sync handler given to two apps (as tests do) would be wrapped twice."""
    http = deps.settings.http
    app_metrics = metrics or AppMetrics(
        deps.engine, deps.clock.now, llm_budget=llm_budget(deps.settings.llm)
    )
    cors = (
        CORSConfig(
            allow_origins=list(http.cors_origins), expose_headers=["X-Request-ID", "Location"]
        )
        if http.cors_origins
        else None
    )

    def provide_deps() -> Deps:
        return deps

    return Litestar(
        route_handlers=[
            health.OperationsController,
            applications.ApplicationsController,
            auth_routes.AuthController,
            api_key_routes.ApiKeysController,
            QueueController,
            CaseActionsController,
            SecondOpinionsController,
            DecideController,
            DecisionsController,
            ThresholdsController,
            *PORTFOLIO_CONTROLLERS,
            AdminController,
            AuditController,
            AnalyticsController,
            ExportsController,
            ModelReportController,
            *TESTGEN_CONTROLLERS,
            pages(),
            *extra_routes,
        ],
        dependencies={
            "deps": Provide(provide_deps, sync_to_thread=False),
            "principal": Provide(provide_principal, sync_to_thread=False),
        },
        middleware=[
            RequestIdMiddleware(),
            RequestMetricsMiddleware(app_metrics),
            *rate_limits(http),
        ],
        before_send=[response_headers(hsts=http.hsts, page_policies={DOCS_PATH: DOCS_CSP})],
        exception_handlers=dict(EXCEPTION_HANDLERS),  # type: ignore[arg-type]
        cors_config=cors,
        openapi_config=openapi_config(),
        template_config=template_config(),
        plugins=[DomainSchemaPlugin()],  # the domain's values as the converter reads them
        state=_state(deps, authenticator or UseCaseAuthenticator(deps), probes, app_metrics),
        logging_config=None,  # logging is configured once, as JSON (`http.logging`)
        debug=debug,
    )


def _state(
    deps: Deps,
    authenticator: Authenticator,
    probes: Mapping[str, health.Probe] | None,
    app_metrics: AppMetrics,
) -> State:
    return State(
        {
            "authenticator": authenticator,
            "deps": deps,  # for what runs outside a route's dependencies (page error handlers)
            "clock": deps.clock,
            "probes": dict(health.default_probes(deps) if probes is None else probes),
            "metrics": app_metrics,
            "metrics_token": deps.settings.http.metrics_token,
        }
    )
