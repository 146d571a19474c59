"""``ContentFilter``: entity path expressions for ``filter_contents``, built one rule at a time.

One filter is a list of ``[-]/path[/**]`` expressions (later, more specific rules win; see
``rerun_core.query``). ``filter_contents`` also takes the list itself, or a single expression;
:func:`content_exprs` turns any of those forms into the expressions.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ContentFilter", "ContentsArg", "content_exprs"]

_PROPERTIES_SUBTREE = "/__properties/**"


def _path_expr(path: str, subtree: bool) -> str:
    if not isinstance(path, str) or not path.startswith("/"):
        raise ValueError(f"Entity path expression must start with '/', got: {path!r}")
    return f"{path}/**" if subtree and not path.endswith("/**") else path


class ContentFilter:
    """Which entities a read includes; each method returns a new filter with one more rule."""

    __slots__ = ("_exprs",)

    def __init__(self, exprs: Sequence[str]) -> None:
        self._exprs: tuple[str, ...] = tuple(exprs)

    @classmethod
    def everything(cls) -> ContentFilter:
        """Every entity but the recording properties (see :meth:`include_properties`)."""
        return cls(("/**",))

    @classmethod
    def nothing(cls) -> ContentFilter:
        return cls(())

    def include(self, path: str, *, subtree: bool = False) -> ContentFilter:
        """Also ``path`` (``subtree=True``: and everything below it)."""
        return ContentFilter((*self._exprs, _path_expr(path, subtree)))

    def exclude(self, path: str, *, subtree: bool = False) -> ContentFilter:
        """Not ``path`` (``subtree=True``: nor anything below it)."""
        return ContentFilter((*self._exprs, "-" + _path_expr(path, subtree)))

    def include_properties(self) -> ContentFilter:
        """Also the recording properties (``/__properties/**``), which are left out unless asked for."""
        return ContentFilter((*self._exprs, _PROPERTIES_SUBTREE))

    def to_exprs(self) -> list[str]:
        return list(self._exprs)

    def __eq__(self, other: object) -> bool:
        return self._exprs == other._exprs if isinstance(other, ContentFilter) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._exprs)

    def __repr__(self) -> str:
        return f"ContentFilter({list(self._exprs)!r})"


ContentsArg = ContentFilter | str | Sequence[str]


def content_exprs(contents: ContentsArg) -> tuple[str, ...]:
    """The expressions of a ``filter_contents`` argument: a ContentFilter, one expression, or a list."""
    if isinstance(contents, ContentFilter):
        return tuple(contents.to_exprs())
    if isinstance(contents, str):
        return (contents,)
    if not isinstance(contents, Sequence):
        raise TypeError(
            f"exprs must be a ContentFilter, a str or a list of str, got {type(contents).__name__}"
        )
    bad = [expr for expr in contents if not isinstance(expr, str)]
    if bad:
        raise TypeError(f"exprs must be strings, got {bad[0]!r} ({type(bad[0]).__name__})")
    return tuple(contents)
