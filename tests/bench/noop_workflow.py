"""The raw baseline for the ingest benchmark: a workflow whose update only appends to a list."""

from __future__ import annotations

from temporalio import workflow


@workflow.defn
class NoopAppendWorkflow:
    """Accepts updates that append a string; no activity, no I/O."""

    def __init__(self) -> None:
        self._items: list[str] = []
        self._done = False

    @workflow.run
    async def run(self) -> int:
        """Wait until told to finish."""
        await workflow.wait_condition(lambda: self._done and workflow.all_handlers_finished())
        return len(self._items)

    @workflow.update
    async def append(self, item: str) -> int:
        """Append one item and answer with the new length."""
        self._items.append(item)
        return len(self._items)

    @workflow.signal
    def finish(self) -> None:
        """Let the workflow complete."""
        self._done = True
