"""Webhooks: one workflow per subscription delivers the event feed, signed (Standard Webhooks), in order."""
