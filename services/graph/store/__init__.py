"""The event log: guarded appends with their projection, seals and the chain key, bulk writes and rebuild."""
