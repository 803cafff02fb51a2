"""The web app factory: install routes, webhook receiver, API, dashboard, health, metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.responses import JSONResponse, RedirectResponse

from hubguard import __version__
from hubguard.inbox.sender_lists import SenderLists
from hubguard.inbox.worker import NullDispatcher
from hubguard.services import Services
from hubguard.web.api import api_router
from hubguard.web.body_limit import MAX_REQUEST_BYTES, BodySizeLimit
from hubguard.web.dashboard import Dashboard, dashboard_router
from hubguard.web.install import InstallFlow, install_router
from hubguard.web.metrics import metrics_router
from hubguard.web.webhooks import WEBHOOK_PATH, webhook_router

__all__ = ["create_app"]


def create_app(services: Services, *, run_worker: bool | None = None) -> FastAPI:
    """hubguard's HTTP surface, bound to ``services`` (built once by the caller).

    With ``run_worker`` the embedded worker runs for the app's lifetime and is woken by every
    stored webhook batch; without it events wait in the table for ``hubguard worker``. By
    default it runs unless a broker is configured: then every stored batch is published to
    the broker for the worker processes, and this process only serves.
    """
    if run_worker is None:
        run_worker = services.celery is None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if run_worker:
            services.pipeline.start()  # and backfills missed webhooks, beside it
        try:
            yield
        finally:
            services.pipeline.stop()

    app = FastAPI(
        title="hubguard", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan
    )
    # Before any route reads a body: the webhook receiver has its own, larger cap.
    app.add_middleware(BodySizeLimit, limit=MAX_REQUEST_BYTES, exempt=(WEBHOOK_PATH,))
    settings = services.settings
    pipeline = services.pipeline
    lists = SenderLists(services.spam, services.vault)  # the API's and the dashboard's
    if pipeline.verifier is not None:  # webhooks need the app's secret
        app.include_router(
            webhook_router(
                pipeline.verifier,
                pipeline.events,
                services.dispatcher
                if run_worker or services.celery is not None
                else NullDispatcher(),
            )
        )
    app.include_router(
        api_router(
            engine=services.vault.engine,
            verdicts=pipeline.verdicts,
            policies=pipeline.policies,
            feedback=pipeline.feedback,
            admin_token=settings.admin_token,
            audit=services.vault,
            clock=services.clock,
            lists=lists,
            throttle=services.admin_throttle,
        )
    )
    app.include_router(
        install_router(
            InstallFlow(
                settings=services.settings,
                oauth=services.hubspot.oauth,
                vault=services.vault,
                states=services.install_states,
                clock=services.clock,
                on_installed=pipeline.resume,
                sessions=services.dashboard_sessions,
            )
        )
    )
    app.include_router(
        dashboard_router(
            Dashboard(
                settings=settings,
                engine=services.vault.engine,
                vault=services.vault,
                sessions=services.dashboard_sessions,
                verdicts=pipeline.verdicts,
                policies=pipeline.policies,
                feedback=pipeline.feedback,
                clock=services.clock,
                hubspot=services.hubspot,
                lists=lists,
                admin_token=settings.admin_token,
                throttle=services.admin_throttle,
            )
        )
    )

    app.include_router(metrics_router(pipeline.events, services.vault, services.clock))

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/dashboard", status_code=303)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        # Ready means the database answers; HubSpot's health is the audit's business.
        services.vault.list()
        return JSONResponse({"status": "ok", "version": __version__})

    return app
