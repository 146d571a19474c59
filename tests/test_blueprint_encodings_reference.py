"""Blueprint datatypes (``rerun.blueprint.encodings``) against the reference 0.41.

The same expressions are evaluated by both SDKs: archetypes that store blueprint datatypes must write
the same components (names, Arrow types, values), batches the same Arrow arrays, and the namespace
and its deprecated alias ``rerun.blueprint.datatypes`` must export the same names and constructors.
"""

from __future__ import annotations

import base64
import enum
import inspect
import json
import warnings
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import rerun as rr
import rerun.blueprint as rrb
from _support import run_reference

pytestmark = pytest.mark.reference

# Archetypes storing blueprint datatypes, built from strings, enum members, numbers and values.
ARCHETYPES = [
    "A.TextLogColumns(timeline_columns=['step'], text_log_columns=['loglevel', 'body'])",
    "A.TextLogColumns(timeline_columns=[BE.TimelineColumn('step', visible=False), 'frame'], text_log_columns=['entitypath', 'EntityPath', 'LogLevel', BE.TextLogColumn(kind='body', visible=False), BE.TextLogColumnKind.Body, 2])",
    "A.TextLogColumns(timeline_columns=BE.TimelineColumn('t'), text_log_columns=BE.TextLogColumn('body'))",
    "A.DataframeQuery(timeline='t', filter_by_range=(1, 5), filter_is_not_null='/a:C', select=['t', '/a:C'])",
    "A.DataframeQuery(filter_by_range=BE.FilterByRange(rr.TimeInt(seconds=1), 5), filter_is_not_null=BE.ComponentColumnSelector(entity_path='/b', component='D'), select=['/x:Y', 'frame'], apply_latest_at=True)",
    "A.TableBlueprint(sort_by=BE.SortBy('col', direction='descending'))",
    "A.TableBlueprint(sort_by=BE.SortBy('col'), filters=['a > 1'])",
    "A.TableBlueprint(sort_by=BE.SortBy('c', direction=BE.SortDirection.Ascending))",
    "A.TableColumn(name='n', column_type=BE.ColumnType(component='a'))",
    "A.TableColumn(column_type=BE.ColumnType(component_type_name='rerun.components.Color'))",
    "A.TensorSliceSelection(slider=[1, 2])",
    "A.TensorSliceSelection(slider=[BE.TensorDimensionIndexSlider(3)])",
    "A.VisualizerInstruction('Points3D', component_map=[BE.VisualizerComponentMapping('t', 'override', source_component='s', selector='x')])",
    "A.VisualizerInstruction('Points3D', component_map=BE.VisualizerComponentMapping('t', BE.ComponentSourceKind.AnnotationContext))",
    "A.VisualizerInstruction('Points3D', component_map=[BE.VisualizerComponentMapping('a', 3), BE.VisualizerComponentMapping('b', 'SourceComponent', source_component='c')])",
]  # fmt: skip
# Batches of blueprint datatypes and blueprint components made of them.
BATCHES = [
    "BE.TextLogColumnBatch(['loglevel', 'body', BE.TextLogColumnKind.EntityPath, 1, BE.TextLogColumn('body', visible=False)])",
    "BE.TimelineColumnBatch(['step', BE.TimelineColumn('x', visible=False)])",
    "BE.ComponentColumnSelectorBatch(['/a:C', BE.ComponentColumnSelector(entity_path='/b', component='C')])",
    "BE.SelectedColumnsBatch(BE.SelectedColumns(['t', '/a:C']))", "BE.SelectedColumnsBatch([['t', '/a:C']])",
    "BE.SelectedColumnsBatch(['t', '/a:C', 'x:y:z'])",
    "BE.FilterByRangeBatch(BE.FilterByRange(1, 5))", "BE.FilterByRangeBatch([BE.FilterByRange(-1, 2), BE.FilterByRange(3, 4)])",
    "BE.FilterIsNotNullBatch(BE.FilterIsNotNull(True, '/a:C'))",
    "BE.FilterIsNotNullBatch(BE.FilterIsNotNull(False, BE.ComponentColumnSelector(entity_path='/a', component='C')))",
    "BE.SortByBatch(BE.SortBy('col', direction='descending'))", "BE.SortByBatch([BE.SortBy('a'), BE.SortBy('b', direction=1)])",
    "BE.TensorDimensionIndexSliderBatch([1, 2])", "BE.TensorDimensionIndexSliderBatch(BE.TensorDimensionIndexSlider(4))",
    "BE.VisualizerComponentMappingBatch(BE.VisualizerComponentMapping('t', 'override', source_component='s', selector='x'))",
    "BE.ColumnTypeBatch(BE.ColumnType(component='a'))", "BE.SortDirectionBatch(['ascending', 2])",
    "BE.TextLogColumnKindBatch(['EntityPath', 'LOGLEVEL'])", "BE.ComponentSourceKindBatch(['annotationcontext', 1])",
    "B.TextLogColumnBatch(['loglevel', 'body'])", "B.TimelineColumnBatch(['step'])",
    "B.TextLogColumn('body', visible=False)", "B.TimelineColumn('t')", "B.SortBy('c', direction='ascending')",
    "B.SelectedColumns(['t', '/a:C'])", "B.FilterIsNotNull(True, '/a:C')", "B.ColumnType(component='x')",
    "B.VisualizerComponentMapping('t', 'default')", "B.TensorDimensionIndexSlider(2)", "B.FilterByRange(3, 4)",
]  # fmt: skip

REFERENCE_SCRIPT = r"""
import base64, enum, inspect, json, sys, warnings
import pyarrow as pa
import rerun as rr, rerun.blueprint as rrb
warnings.simplefilter("ignore")
rr.set_strict_mode(True)
namespace = {"rr": rr, "rrb": rrb, "BE": rrb.encodings, "B": rrb.components, "A": rrb.archetypes}
archetypes, batches = json.loads(open(sys.argv[1]).read())

def ipc(array):
    sink = pa.BufferOutputStream()
    batch = pa.record_batch([array], names=["value"])
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return base64.b64encode(sink.getvalue().to_pybytes()).decode()

def run(case, archetype):
    try:
        value = eval(case, namespace)
        if archetype:
            return {b.component_descriptor().component: ipc(b.as_arrow_array()) for b in value.as_component_batches()}
        return {"value": ipc(value.as_arrow_array())}
    except Exception as err:
        return {"error": f"{type(err).__name__}: {err}"}

def signatures():
    out = {}
    for name in rrb.encodings.__all__:
        cls = getattr(rrb.encodings, name)
        if isinstance(cls, type) and issubclass(cls, enum.Enum):
            out[name] = [[member.name, member.value] for member in cls]
        elif isinstance(cls, type) and not name.endswith(("Batch", "Like")):
            parameters = inspect.signature(cls.__init__).parameters.values()
            out[name] = [[p.name, p.kind.name, repr(p.default)] for p in parameters]
    return out

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import rerun.blueprint.datatypes as alias
out = {"archetypes": {c: run(c, True) for c in archetypes}, "batches": {c: run(c, False) for c in batches},
       "names": sorted(rrb.encodings.__all__), "signatures": signatures(),
       "alias": {"warning": [str(w.message) for w in caught if w.category is DeprecationWarning],
                 "same": all(getattr(alias, n) is getattr(rrb.encodings, n) for n in rrb.encodings.__all__)}}
open(sys.argv[2], "w").write(json.dumps(out))
"""


@pytest.fixture(scope="module")
def reference(reference_python: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("blueprint_encodings")
    cases, out = folder / "cases.json", folder / "out.json"
    cases.write_text(json.dumps([ARCHETYPES, BATCHES]))
    result = run_reference(reference_python, "-c", REFERENCE_SCRIPT, cases, out, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(out.read_text())


def evaluate(case: str) -> Any:
    namespace = {"rr": rr, "rrb": rrb, "BE": rrb.encodings, "B": rrb.components, "A": rrb.archetypes}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return eval(case, namespace)


def read_ipc(text: str) -> pa.Array:
    with pa.ipc.open_stream(base64.b64decode(text)) as reader:
        return reader.read_all().column("value").combine_chunks()


def assert_same_array(ours: pa.Array, theirs: pa.Array) -> None:
    assert ours.type == theirs.type
    assert ours.to_pylist() == theirs.to_pylist()
    assert ours.equals(theirs)


@pytest.mark.parametrize("case", ARCHETYPES)
def test_archetypes_store_the_same_components(case: str, reference: dict[str, Any]) -> None:
    expected = reference["archetypes"][case]
    assert "error" not in expected, expected
    ours = {
        b.component_descriptor().component: b.as_arrow_array() for b in evaluate(case).as_component_batches()
    }
    assert sorted(ours) == sorted(expected)
    for component, text in expected.items():
        assert_same_array(ours[component], read_ipc(text))


@pytest.mark.parametrize("case", BATCHES)
def test_batches_are_the_same(case: str, reference: dict[str, Any]) -> None:
    expected = reference["batches"][case]
    assert "error" not in expected, expected
    assert_same_array(evaluate(case).as_arrow_array(), read_ipc(expected["value"]))


def test_namespace_exports_the_same_names(reference: dict[str, Any]) -> None:
    assert sorted(rrb.encodings.__all__) == reference["names"]
    assert len(reference["names"]) == 13 * 4


def test_constructors_and_enums_are_the_same(reference: dict[str, Any]) -> None:
    for name, expected in reference["signatures"].items():
        cls = getattr(rrb.encodings, name)
        if issubclass(cls, enum.Enum):
            assert [[member.name, member.value] for member in cls] == expected, name
        else:
            parameters = inspect.signature(cls.__init__).parameters.values()
            assert [[p.name, p.kind.name, repr(p.default)] for p in parameters] == expected, name


def test_components_are_their_datatypes() -> None:
    for name in (
        "TextLogColumn",
        "TimelineColumn",
        "SortBy",
        "SelectedColumns",
        "VisualizerComponentMapping",
    ):
        assert issubclass(getattr(rrb.components, name), getattr(rrb.encodings, name)), name


def test_deprecated_alias_warns_and_resolves_to_the_same_objects(reference: dict[str, Any]) -> None:
    assert reference["alias"]["same"]
    import sys

    sys.modules.pop("rerun.blueprint.datatypes", None)
    with pytest.warns(DeprecationWarning) as caught:
        import rerun.blueprint.datatypes as alias
    assert [str(w.message) for w in caught] == reference["alias"]["warning"]
    assert all(getattr(alias, n) is getattr(rrb.encodings, n) for n in rrb.encodings.__all__)


@pytest.mark.parametrize("bad", ["'entity_path'", "'Verbose'", "7"])
def test_unknown_column_kinds_are_named_in_the_error(bad: str) -> None:
    with pytest.raises(ValueError, match="TextLogColumnKind"):
        evaluate(f"BE.TextLogColumn({bad})")
