"""The period stream: 第N期 — call, intake, matching review and approval."""
