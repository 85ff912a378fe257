"""The controllers of batches, notifications, webhooks, dead jobs, models and monitoring, for
`create_app` to register in one line."""

from __future__ import annotations

from litestar import Controller

from entrypoints.http.batches import BatchesController
from entrypoints.http.dead_jobs import DeadJobsController
from entrypoints.http.models import ModelsController, MonitoringController
from entrypoints.http.notifications import NotificationsController
from entrypoints.http.webhooks import WebhooksController

PORTFOLIO_CONTROLLERS: tuple[type[Controller], ...] = (
    BatchesController,
    NotificationsController,
    WebhooksController,
    DeadJobsController,
    ModelsController,
    MonitoringController,
)
