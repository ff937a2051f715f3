"""`python -m banso` runs the CLI."""

from banso.cli import app

app()
