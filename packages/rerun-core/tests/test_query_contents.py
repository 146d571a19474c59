"""Entity path filters as 0.41's ``contents=`` reads them (cases checked against the reference)."""

from __future__ import annotations

import pytest

from rerun_core.query import EntityPathFilter, resolve_contents

ENTITIES = ["/", "/any", "/any/x", "/any_static", "/dyn", "/__properties", "/__properties/experiment"]


@pytest.mark.parametrize(
    ("contents", "expected"),
    [
        (None, ["/", "/any", "/any/x", "/any_static", "/dyn"]),
        ("/**", ["/", "/any", "/any/x", "/any_static", "/dyn"]),
        ([], []),
        ("  ", []),
        ("/", ["/"]),
        ("+ /any", ["/any"]),
        (" any/ ", ["/any"]),
        ("/any/**", ["/any", "/any/x"]),
        ("-/**", []),
        ("/an*", []),
        ("/**/any", []),
        ("/any\\_static", ["/any_static"]),
        (["/**", "-/any/**", "+/any"], ["/", "/any", "/any_static", "/dyn"]),
        (["/any", "-/any"], []),
        (["-/any", "/any"], ["/any"]),
        (["/any/**", "-/any"], ["/any/x"]),
        ("+ /any\n- /any/x\n/dyn", ["/any", "/dyn"]),
        ("/__properties", ["/__properties"]),
        ("/__properties/**", ["/__properties", "/__properties/experiment"]),
        (
            ["/**", "/__properties/experiment"],
            ["/", "/any", "/any/x", "/any_static", "/dyn", "/__properties/experiment"],
        ),
        (["/__properties/**", "-/__properties/experiment"], ["/__properties"]),
    ],
)
def test_filters_select_like_the_reference(contents: object, expected: list[str]) -> None:
    assert list(resolve_contents(contents, ENTITIES)) == [e for e in ENTITIES if e in expected]  # type: ignore[arg-type]


def test_mappings_select_components_per_entity() -> None:
    selected = resolve_contents({"/any/**": ["a", "b"], "/any": "c", "/dyn": None}, ENTITIES)
    assert selected == {"/any": frozenset("abc"), "/any/x": frozenset("ab"), "/dyn": None}


def test_matches_takes_text_or_paths() -> None:
    entity_filter = EntityPathFilter.everything()
    assert entity_filter.matches("/a/b") and not entity_filter.matches("/__properties/x")


def test_bad_contents_type_is_an_error() -> None:
    with pytest.raises(TypeError, match="contents"):
        resolve_contents(42, ENTITIES)  # type: ignore[arg-type]
