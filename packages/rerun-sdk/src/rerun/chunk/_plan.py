"""The plan behind a ``LazyChunkStream``: a graph of nodes that each run yields chunks from, lazily.

A run pulls chunks one at a time through the graph, so a pipeline holds only the chunks in flight.
A split shared by both of its branches in one run reads its input once: each branch has a queue,
filled as the other branch pulls; a split with only one branch in the run is a plain filter.
Merges take from their inputs in turn, so the queues of a split-then-merge stay small.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rerun.chunk._selection import ChunkSelector
from rerun_core import Chunk as CoreChunk

__all__ = ["Branch", "FlatMap", "Merge", "Node", "Run", "Select", "Source", "Split"]


class Run:
    """One execution of a plan: the splits it reaches and, where both branches are in it, their queues."""

    def __init__(self, root: Node) -> None:
        self._sides: dict[int, set[int]] = {}
        self._tees: dict[int, _Tee] = {}
        seen: set[int] = set()
        pending = [root]
        while pending:
            node = pending.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, Branch):
                self._sides.setdefault(id(node.split), set()).add(node.side)
            pending.extend(node.inputs())

    def shares(self, split: Split) -> bool:
        return len(self._sides.get(id(split), ())) == 2

    def tee(self, split: Split) -> _Tee:
        tee = self._tees.get(id(split))
        if tee is None:
            tee = self._tees[id(split)] = _Tee(split, self)
        return tee


class Node:
    def inputs(self) -> tuple[Node, ...]:
        return ()

    def chunks(self, run: Run) -> Iterator[CoreChunk]:
        raise NotImplementedError


class Source(Node):
    """Chunks from a factory, called once per run (a reader re-opens its file every time)."""

    def __init__(self, factory: Callable[[], Iterable[CoreChunk]]) -> None:
        self._factory = factory

    def chunks(self, run: Run) -> Iterator[CoreChunk]:
        yield from self._factory()


class Select(Node):
    """``filter`` (``keep=0``) or ``drop`` (``keep=1``): one side of a selector's partition."""

    def __init__(self, child: Node, selector: ChunkSelector, keep: int) -> None:
        self._child, self._selector, self._keep = child, selector, keep

    def inputs(self) -> tuple[Node, ...]:
        return (self._child,)

    def chunks(self, run: Run) -> Iterator[CoreChunk]:
        for chunk in self._child.chunks(run):
            kept = self._selector.partition(chunk)[self._keep]
            if kept is not None:
                yield kept


class FlatMap(Node):
    """A user function from a chunk to an iterable of chunks (``map`` wraps its result in a list)."""

    def __init__(self, child: Node, fn: Callable[[CoreChunk], Iterable[CoreChunk]]) -> None:
        self._child, self._fn = child, fn

    def inputs(self) -> tuple[Node, ...]:
        return (self._child,)

    def chunks(self, run: Run) -> Iterator[CoreChunk]:
        for chunk in self._child.chunks(run):
            yield from self._fn(chunk)


class Merge(Node):
    """Several inputs, one chunk from each in turn; an input's own order is kept."""

    def __init__(self, children: tuple[Node, ...]) -> None:
        self._children = children

    def inputs(self) -> tuple[Node, ...]:
        return self._children

    def chunks(self, run: Run) -> Iterator[CoreChunk]:
        active = [child.chunks(run) for child in self._children]
        while active:
            for iterator in list(active):
                chunk = next(iterator, None)
                if chunk is None:
                    active.remove(iterator)
                else:
                    yield chunk


class Split:
    """Not a node itself: the shared input of two :class:`Branch` nodes."""

    def __init__(self, child: Node, selector: ChunkSelector) -> None:
        self.child, self.selector = child, selector


class Branch(Node):
    """Side 0 (matching) or 1 (the rest) of a split."""

    def __init__(self, split: Split, side: int) -> None:
        self.split, self.side = split, side

    def inputs(self) -> tuple[Node, ...]:
        return (self.split.child,)

    def chunks(self, run: Run) -> Iterator[CoreChunk]:
        if not run.shares(self.split):
            yield from Select(self.split.child, self.split.selector, self.side).chunks(run)
            return
        tee = run.tee(self.split)
        while True:
            chunk = tee.next(self.side)
            if chunk is None:
                return
            yield chunk


class _Tee:
    """A split's input read once for both branches; what one reads ahead waits in the other's queue."""

    def __init__(self, split: Split, run: Run) -> None:
        self._selector = split.selector
        self._upstream: Iterator[CoreChunk] | None = split.child.chunks(run)
        self._queues: tuple[deque[CoreChunk], deque[CoreChunk]] = (deque(), deque())

    def next(self, side: int) -> CoreChunk | None:
        queue = self._queues[side]
        while not queue:
            if self._upstream is None:
                return None
            chunk = next(self._upstream, None)
            if chunk is None:
                self._upstream = None
                return None
            for part, target in zip(self._selector.partition(chunk), self._queues, strict=True):
                if part is not None:
                    target.append(part)
        return queue.popleft()


def one_shot(chunks: Iterable[Any], unwrap: Callable[[Any], CoreChunk]) -> Source:
    """A source over a user's iterable: read once, by the first run (later runs find it empty)."""
    iterator = iter(chunks)
    return Source(lambda: (unwrap(chunk) for chunk in iterator))
