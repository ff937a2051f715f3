"""uvicorn entry point: `uvicorn services.api.main:app`."""

from services.api.app import create_app
from services.telemetry import configure_tracing

configure_tracing("banso-api")
app = create_app()
