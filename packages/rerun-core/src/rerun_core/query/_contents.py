"""Which entities (and components) a query reads: entity path filters as 0.41 parses and applies them.

An expression is ``[+|-] /path`` or ``[+|-] /path/**`` (the path and its whole subtree); ``-``
excludes. The most specific matching rule wins (a longer path; at the same path, the exact rule over
the subtree rule), and of two identical rules the later one; no matching rule means excluded. The
recording properties are hidden by an implicit first ``-/__properties/**`` rule, which only rules at
least as specific (``/__properties/**``, ``/__properties/x``, ...) override.

``contents`` may be ``None`` (everything), one expression, a list of expressions, or a mapping from
expression to the component names to keep for the entities it matches (``None``: all of them).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rerun_core.entity_path import EntityPath, EntityPathWarning

__all__ = ["ContentsLike", "EntityPathFilter", "EntityPathRule", "resolve_contents"]

ContentsLike = str | Sequence[str] | Mapping[str, str | Sequence[str] | None] | None

PROPERTIES = EntityPath(("__properties",))


@dataclass(frozen=True)
class EntityPathRule:
    path: EntityPath
    subtree: bool
    include: bool

    @classmethod
    def parse(cls, expression: str) -> EntityPathRule | None:
        """One rule, or ``None`` for a blank expression; odd paths are read forgivingly, without warning."""
        text = expression.strip()
        include = not text.startswith("-")
        if text[:1] in "+-" and text:
            text = text[1:].strip()
        if not text:
            return None
        subtree = text.endswith("/**") or text == "**"
        if subtree:
            text = text[:-2]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EntityPathWarning)
            path = EntityPath.parse(text)
        return cls(path, subtree, include)

    def matches(self, path: EntityPath) -> bool:
        return path.starts_with(self.path) if self.subtree else path == self.path

    @property
    def specificity(self) -> tuple[int, int]:
        return len(self.path.parts), 0 if self.subtree else 1


class EntityPathFilter:
    """An ordered set of include/exclude rules; see the module docstring for the semantics."""

    def __init__(self, rules: Iterable[EntityPathRule]) -> None:
        # The implicit first rule hides the properties unless a rule at least as specific includes them.
        implicit = EntityPathRule(PROPERTIES, subtree=True, include=False)
        # Later rules of equal specificity win, so order by specificity keeping input order otherwise.
        ordered = sorted(enumerate([implicit, *rules]), key=lambda item: (item[1].specificity, item[0]))
        self._rules = [rule for _, rule in reversed(ordered)]

    @classmethod
    def parse(cls, expressions: str | Iterable[str]) -> EntityPathFilter:
        if isinstance(expressions, str):
            expressions = [expressions]
        rules = (EntityPathRule.parse(line) for text in expressions for line in text.splitlines() or [""])
        return cls(rule for rule in rules if rule is not None)

    @classmethod
    def everything(cls) -> EntityPathFilter:
        return cls.parse("/**")

    def matches(self, path: EntityPath | str) -> bool:
        if isinstance(path, str):
            path = EntityPath.parse(path)
        for rule in self._rules:
            if rule.matches(path):
                return rule.include
        return False


def resolve_contents(contents: ContentsLike, entity_paths: Iterable[str]) -> dict[str, frozenset[str] | None]:
    """The entities ``contents`` selects among ``entity_paths``, each with its component names (``None``: all)."""
    if contents is None:
        contents = "/**"
    if isinstance(contents, Mapping):
        return _resolve_mapping(contents, entity_paths)
    if not isinstance(contents, (str, Sequence)):
        raise TypeError(f"contents must be a str, a list of str or a dict, got {type(contents).__name__}")
    entity_filter = EntityPathFilter.parse(contents)
    return {entity: None for entity in entity_paths if entity_filter.matches(entity)}


def _resolve_mapping(
    contents: Mapping[str, str | Sequence[str] | None], entity_paths: Iterable[str]
) -> dict[str, frozenset[str] | None]:
    selected: dict[str, frozenset[str] | None] = {}
    filters = [(EntityPathFilter.parse(expr), components) for expr, components in contents.items()]
    for entity in entity_paths:
        for entity_filter, components in filters:
            if not entity_filter.matches(entity):
                continue
            wanted = (
                None
                if components is None
                else frozenset([components] if isinstance(components, str) else components)
            )
            if entity not in selected:
                selected[entity] = wanted
            else:
                previous = selected[entity]
                selected[entity] = None if previous is None or wanted is None else previous | wanted
    return selected
