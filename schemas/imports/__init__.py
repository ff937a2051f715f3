"""Bulk import of past periods: the template, reading spreadsheets and typed rows (pure, no I/O)."""
