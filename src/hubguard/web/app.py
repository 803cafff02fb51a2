"""The web app factory: install routes, webhook receiver, API, health."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.responses import JSONResponse

from hubguard import __version__
from hubguard.services import Services
from hubguard.web.install import InstallFlow, install_router

__all__ = ["create_app"]


def create_app(services: Services) -> FastAPI:
    """hubguard's HTTP surface, bound to ``services`` (built once by the caller)."""
    app = FastAPI(title="hubguard", version=__version__, docs_url=None, redoc_url=None)
    app.include_router(
        install_router(
            InstallFlow(
                settings=services.settings,
                oauth=services.hubspot.oauth,
                vault=services.vault,
                states=services.install_states,
                clock=services.clock,
            )
        )
    )

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        # Ready means the database answers; HubSpot's health is the audit's business.
        services.vault.list()
        return JSONResponse({"status": "ok", "version": __version__})

    return app
