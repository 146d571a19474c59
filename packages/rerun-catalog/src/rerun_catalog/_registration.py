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
]


class OnDuplicateSegmentLayer(Enum):
    """What registering a segment layer that already exists does."""

    ERROR = "error"
    SKIP = "skip"
    REPLACE = "replace"

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


@dataclass(frozen=True)
class RegistrationResult:
    segment_ids: list[str]


class RegistrationOperation:
    """Registration tasks started on the server; :meth:`wait` for them to finish."""

    def __init__(self, conn: Connection, entry_id: str, rows: list[dict[str, str | None]]) -> None:
        self._conn = conn
        self._entry_id = entry_id
        self._rows = rows

    def _statuses(self, timeout_secs: int | None) -> dict[str, tuple[str, str | None]]:
        task_ids = list(dict.fromkeys(str(row["rerun_task_id"]) for row in self._rows))
        if not task_ids:
            return {}
        request = cloud_pb2.QueryTasksOnCompletionRequest(
            ids=[common_pb2.TaskId(id=task) for task in task_ids],
            timeout=duration_pb2.Duration(seconds=3600 if timeout_secs is None else int(timeout_secs)),
        )
        responses = self._conn.stream("QueryTasksOnCompletion", request, entry_id=self._entry_id)
        table = parts_table(r.data for r in responses)
        names = table.column_names
        statuses: dict[str, tuple[str, str | None]] = {}
        for row in table.to_pylist():
            status = str(row.get("exec_status")) if "exec_status" in names else "success"
            statuses[str(row["task_id"])] = (status, row.get("msgs"))
        return statuses

    def iter_results(self, timeout_secs: int | None = None) -> Iterator[SegmentRegistrationResult]:
        statuses = self._statuses(timeout_secs)
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
        task_ids = list(dict.fromkeys(str(row["rerun_task_id"]) for row in self._rows))
        request = cloud_pb2.CancelTasksRequest(ids=[common_pb2.TaskId(id=task) for task in task_ids])
        self._conn.unary("CancelTasks", request, entry_id=self._entry_id)

    def __repr__(self) -> str:
        return f"RegistrationOperation({len(self._rows)} uri(s))"
