"""Search over the projection: expertise, connections, reuse, and the full-text index they use."""
