"""Exports of the programme's records: tables as CSV, JSONL and .xlsx, and a period's one-page reports as a PDF."""
