"""The engagement stream: one municipality's 伴走支援 in one period — its workflow, rules and fold."""
