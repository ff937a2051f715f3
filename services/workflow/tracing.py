"""Temporal tracing that keeps an update in its caller's trace.

The SDK's TracingInterceptor parents update spans to the trace that *started* the workflow and only
links the caller. An engagement lives for a year, so every visit recorded through the API would then
hang off the application's trace. Auditors and operators follow one request, so here an update (its
validator, handler, and the activities it starts) runs in the trace of the request that sent it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import opentelemetry.context
import temporalio.worker
from opentelemetry.trace import SpanKind
from temporalio.contrib.opentelemetry import TracingInterceptor, TracingWorkflowInboundInterceptor


class CallerTracingWorkflowInboundInterceptor(TracingWorkflowInboundInterceptor):
    """Runs update validators and handlers under the context carried in the update's header."""

    def _caller_context(self, input: temporalio.worker.HandleUpdateInput) -> opentelemetry.context.Context | None:
        header = input.headers.get(self.header_key)
        if not header:
            return None
        carrier = self.payload_converter.from_payloads([header])[0]
        return self._set_on_context(self.text_map_propagator.extract(carrier))

    @contextmanager
    def _attached(self, context: opentelemetry.context.Context) -> Iterator[None]:
        token = opentelemetry.context.attach(context)
        try:
            yield
        finally:
            opentelemetry.context.detach(token)

    def handle_update_validator(self, input: temporalio.worker.HandleUpdateInput) -> None:
        """Validate in the caller's trace."""
        context = self._caller_context(input)
        if context is None:
            super().handle_update_validator(input)
            return
        with self._attached(context):
            self._completed_span(f"ValidateUpdate:{input.update}", kind=SpanKind.SERVER)
            self.next.handle_update_validator(input)

    async def handle_update_handler(self, input: temporalio.worker.HandleUpdateInput) -> Any:
        """Handle (and start activities) in the caller's trace."""
        context = self._caller_context(input)
        if context is None:
            return await super().handle_update_handler(input)
        with self._attached(context):
            self._completed_span(f"HandleUpdate:{input.update}", kind=SpanKind.SERVER)
            return await self.next.handle_update_handler(input)


class BansoTracingInterceptor(TracingInterceptor):
    """TracingInterceptor whose workflow side keeps updates in their caller's trace."""

    def workflow_interceptor_class(
        self, input: temporalio.worker.WorkflowInterceptorClassInput
    ) -> type[TracingWorkflowInboundInterceptor]:
        """The workflow interceptor, with the SDK's extern functions registered by the parent."""
        super().workflow_interceptor_class(input)
        return CallerTracingWorkflowInboundInterceptor
