"""uvicorn entry point: `uvicorn services.api.main:app`."""

from banso.telemetry import configure_tracing
from services.api.app import create_app

configure_tracing("banso-api")
app = create_app()
