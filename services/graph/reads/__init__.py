"""Reads of the projection for the API, the web pages and the period workflow."""
