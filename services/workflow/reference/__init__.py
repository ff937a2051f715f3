"""Reference streams: officials, bodies and municipalities as hash-chained event streams."""
