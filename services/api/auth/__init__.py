"""Identity and access: who is calling (principal, bearer tokens) and what they may touch (one policy)."""
