"""Registering recordings with a dataset: the operation handle and its results."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from google.protobuf import duration_pb2

from rerun_catalog._wire import Connection, parts_table
from rerun_core.proto import cloud_pb2, common_pb2

__all__ = [
    "OnDuplicateSegmentLayer",
    "RegistrationOperation",
    "RegistrationResult",
    "SegmentRegistrationResult",
    "UnregistrationHandle",
]


class OnDuplicateSegmentLayer(str, Enum):
    """What registering a segment layer that already exists does (also usable as its string)."""

    ERROR = "error"
    SKIP = "skip"
    REPLACE = "replace"

    def __str__(self) -> str:
        return self.value

    def to_proto(self) -> int:
        return {
            "error": common_pb2.IF_DUPLICATE_BEHAVIOR_ERROR,
            "skip": common_pb2.IF_DUPLICATE_BEHAVIOR_SKIP,
            "replace": common_pb2.IF_DUPLICATE_BEHAVIOR_OVERWRITE,
        }[self.value]


@dataclass(frozen=True)
class SegmentRegistrationResult:
    uri: str
    segment_id: str | None
    error: str | None = None

    @property
    def is_success(self) -> bool:
        return self.error is None

    @property
    def is_error(self) -> bool:
        return self.error is not None


@dataclass(frozen=True)
class RegistrationResult:
    segment_ids: list[str]


def _task_statuses(
    conn: Connection, entry_id: str, task_ids: list[str], timeout_secs: int | None
) -> dict[str, tuple[str, str | None]]:
    """Task id -> (status, message), once every task is done (or the timeout passed)."""
    if not task_ids:
        return {}
    request = cloud_pb2.QueryTasksOnCompletionRequest(
        ids=[common_pb2.TaskId(id=task) for task in task_ids],
        timeout=duration_pb2.Duration(seconds=3600 if timeout_secs is None else int(timeout_secs)),
    )
    responses = conn.stream("QueryTasksOnCompletion", request, entry_id=entry_id)
    table = parts_table(r.data for r in responses)
    names = table.column_names
    statuses: dict[str, tuple[str, str | None]] = {}
    for row in table.to_pylist():
        status = str(row.get("exec_status")) if "exec_status" in names else "success"
        statuses[str(row["task_id"])] = (status, row.get("msgs"))
    return statuses


def _cancel(conn: Connection, entry_id: str, task_ids: list[str]) -> None:
    request = cloud_pb2.CancelTasksRequest(ids=[common_pb2.TaskId(id=task) for task in task_ids])
    conn.unary("CancelTasks", request, entry_id=entry_id)


class RegistrationOperation:
    """Registration tasks started on the server; :meth:`wait` for them to finish."""

    def __init__(self, conn: Connection, entry_id: str, rows: list[dict[str, str | None]]) -> None:
        self._conn = conn
        self._entry_id = entry_id
        self._rows = rows

    def _task_ids(self) -> list[str]:
        return list(dict.fromkeys(str(row["rerun_task_id"]) for row in self._rows))

    def iter_results(self, timeout_secs: int | None = None) -> Iterator[SegmentRegistrationResult]:
        statuses = _task_statuses(self._conn, self._entry_id, self._task_ids(), timeout_secs)
        for row in self._rows:
            status, message = statuses.get(str(row["rerun_task_id"]), ("success", None))
            failed = status != "success"
            yield SegmentRegistrationResult(
                uri=str(row["rerun_storage_url"]),
                segment_id=None if failed else row["rerun_segment_id"],
                error=(message or status) if failed else None,
            )

    def wait(self, timeout_secs: int | None = None) -> RegistrationResult:
        results = list(self.iter_results(timeout_secs))
        failures = [r for r in results if not r.is_success]
        if failures:
            detail = "; ".join(f"{r.uri}: {r.error}" for r in failures)
            raise ValueError(f"Registration failed for {len(failures)} of {len(results)} uri(s): {detail}")
        return RegistrationResult(segment_ids=[str(r.segment_id) for r in results])

    def cancel(self) -> None:
        _cancel(self._conn, self._entry_id, self._task_ids())

    def __repr__(self) -> str:
        return f"RegistrationOperation({len(self._rows)} uri(s))"


class UnregistrationHandle:
    """An unregistration started on the server; :meth:`wait` for it to finish."""

    def __init__(self, conn: Connection, entry_id: str, task_ids: list[str]) -> None:
        self._conn = conn
        self._entry_id = entry_id
        self._task_ids = task_ids

    def wait(self, timeout_secs: int | None = None) -> None:
        statuses = _task_statuses(self._conn, self._entry_id, self._task_ids, timeout_secs)
        failed = {task: s for task, s in statuses.items() if s[0] != "success"}
        if failed:
            detail = "; ".join(f"{task}: {message or status}" for task, (status, message) in failed.items())
            raise ValueError(f"Unregistration failed: {detail}")

    def cancel(self) -> None:
        _cancel(self._conn, self._entry_id, self._task_ids)

    def __repr__(self) -> str:
        return f"UnregistrationHandle({len(self._task_ids)} task(s))"
