"""Remote control of the running viewer: 0.41's ``ViewerControlService``, on the endpoint's port.

gRPC calls arrive on server threads, but the viewer's state belongs to the UI thread (it is not
thread-safe). So a call queues its work on a :class:`UiQueue`, the UI thread runs it between frames
(:meth:`UiQueue.run_pending`), and the call answers once that is done. Failures are
:class:`ControlError`\\ s, answered with their gRPC status code and message.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Protocol, TypeVar

__all__ = ["SERVICE", "ControlError", "RequestAnswers", "UiQueue", "control_service"]

_log = logging.getLogger("rerun")
SERVICE = "rerun.viewer_control.v1alpha1.ViewerControlService"
UI_TIMEOUT_SECS = 15.0  # as 0.41's client: a call the UI thread has not run by then fails

T = TypeVar("T")


class ControlError(Exception):
    """A request the viewer cannot answer; ``code`` names its gRPC status (``"NOT_FOUND"``, ...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class UiQueue:
    """Work handed from other threads to the UI thread, each caller waiting for its own result."""

    def __init__(self) -> None:
        self._tasks: queue.Queue[tuple[Callable[[], Any], Future[Any]]] = queue.Queue()
        self._arrived = threading.Event()

    def call(self, work: Callable[[], T], *, timeout_secs: float = UI_TIMEOUT_SECS) -> T:
        """Run ``work`` on the UI thread and return its result (or raise what it raised)."""
        future: Future[T] = Future()
        self._tasks.put((work, future))
        self._arrived.set()
        try:
            return future.result(timeout_secs)
        except FutureTimeout:
            future.cancel()  # not run yet: it never will be
            raise ControlError(
                "DEADLINE_EXCEEDED",
                f"the viewer's UI thread did not get to the request within {timeout_secs:g} s",
            ) from None

    def run_pending(self) -> int:
        """Run every queued task now (call this on the UI thread, between frames); returns how many ran."""
        ran = 0
        self._arrived.clear()
        while True:
            try:
                work, future = self._tasks.get_nowait()
            except queue.Empty:
                return ran
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(work())
            except BaseException as err:  # handed to the waiting caller, which raises it
                future.set_exception(err)
            ran += 1

    def wait(self, timeout_secs: float) -> bool:
        """Block until some task is queued (or ``timeout_secs`` passed); True if one may be."""
        return self._arrived.wait(timeout_secs)


class RequestAnswers(Protocol):
    """Answers one request kind (``"get_state"``, ...) with that kind's response message."""

    def answer(self, kind: str, request: Any) -> Any: ...


def control_service(answers: RequestAnswers) -> Any:
    """The ``ViewerControlService`` gRPC handler, for a server's ``services``."""
    import grpc

    from rerun_core.proto import viewer_control_pb2 as pb

    def viewer_control(request: Any, context: grpc.ServicerContext) -> Any:
        kind = request.WhichOneof("kind")
        if kind is None:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "`ViewerControlRequest.kind` is unset")
        try:
            response = answers.answer(kind, getattr(request, kind))
        except ControlError as err:
            context.abort(grpc.StatusCode[err.code], str(err))
        except Exception as err:  # a bug of ours: say so, not grpc's bare "Exception calling application"
            _log.exception("The viewer failed to answer a `%s` request", kind)
            context.abort(grpc.StatusCode.INTERNAL, f"the viewer failed to answer `{kind}`: {err!r}")
        return pb.ViewerControlResponse(**{kind: response})

    def egui_inspect(request: Any, context: grpc.ServicerContext) -> Any:
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "EguiInspect is not supported by this viewer (no egui)")

    return grpc.method_handlers_generic_handler(
        SERVICE,
        {
            "ViewerControl": grpc.unary_unary_rpc_method_handler(
                viewer_control,
                request_deserializer=pb.ViewerControlRequest.FromString,
                response_serializer=pb.ViewerControlResponse.SerializeToString,
            ),
            "EguiInspect": grpc.unary_unary_rpc_method_handler(
                egui_inspect,
                request_deserializer=pb.EguiInspectRequest.FromString,
                response_serializer=pb.EguiInspectResponse.SerializeToString,
            ),
        },
    )
