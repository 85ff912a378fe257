"""The analyst workbench in the browser: pages rendered on the server, served with the API.

Pages read through the same use cases as the API's routes and act through the JSON API itself
(their scripts call it with the session's cookies), so the workbench can do nothing a client
of the API could not. `pages()` is the router `create_app` mounts; `template_config` its Jinja2.
"""

from __future__ import annotations

from litestar import Router
from litestar.static_files import create_static_files_router

from entrypoints.http.auth import PUBLIC
from entrypoints.web.application_pages import ApplicationPages
from entrypoints.web.audit_page import AuditPage
from entrypoints.web.batch_page import BatchesPage
from entrypoints.web.dashboard_page import DashboardPage
from entrypoints.web.errors import PAGE_HANDLERS
from entrypoints.web.model_page import ModelsPage
from entrypoints.web.overrides_page import OverridesPage
from entrypoints.web.queue_page import QueuePage
from entrypoints.web.rendering import STATIC, template_config
from entrypoints.web.session_routes import SessionController
from entrypoints.web.testgen_pages import TestgenPages
from entrypoints.web.threshold_page import ThresholdsPage
from entrypoints.web.workbench_page import WorkbenchPage

PAGE_CONTROLLERS: list[type] = [
    SessionController,
    DashboardPage,
    ThresholdsPage,
    BatchesPage,
    ModelsPage,
    AuditPage,
    ApplicationPages,
    QueuePage,
    OverridesPage,
    WorkbenchPage,
    TestgenPages,
]


def pages() -> Router:
    """The workbench's pages and their assets; a new router for each app."""
    assets = create_static_files_router(
        path="/static", directories=[STATIC], opt=dict(PUBLIC), include_in_schema=False
    )
    return Router("/", route_handlers=[*PAGE_CONTROLLERS, assets], exception_handlers=PAGE_HANDLERS)


__all__ = ["pages", "template_config"]
