"""Bulk import of past periods: the plan (checked by the lifecycle's rules), the job workflow, its activities."""
