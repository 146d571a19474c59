"""`rerun rrd print`: one line per message, more detail per -v, footers, filtering, bad input."""

from __future__ import annotations

from pathlib import Path

from _cli_support import cli, sample, write

from rerun_core.rrd import encode_rrd


def test_default_output_has_store_infos_chunk_lines_and_activation(tmp_path: Path) -> None:
    result = cli("rrd", "print", write(tmp_path / "a.rrd", sample()))
    assert result.code == 0, result.stderr
    lines = result.text.splitlines()
    assert lines[0] == "Showing data after migration to latest Rerun version"
    assert lines[1] == "StoreInfo {" and '        "rec",' in lines
    chunk_lines = [line for line in lines if line.startswith("Chunk(chunk_")]
    assert len(chunk_lines) == 4
    assert " with 4 rows (" in chunk_lines[0] and chunk_lines[0].endswith(
        " - /a - data columns: [Scalars:scalars]"
    )
    assert (
        lines[-1]
        == 'BlueprintActivationCommand(StoreId(Blueprint, "app", "bp"), make_active: true, make_default: true)'
    )


def test_store_info_layout(tmp_path: Path) -> None:
    text = cli("rrd", "print", write(tmp_path / "a.rrd", sample())).text
    block = text[text.index("StoreInfo {") : text.index("}\n", text.index("meta:")) + 1]
    assert block.splitlines()[1:6] == [
        "    store_id: StoreId(",
        "        Recording,",
        '        "app",',
        '        "rec",',
        "    ),",
    ]
    assert "    store_source: PythonSdk(" in block and "            minor: 41," in block


def test_verbose_qualifies_column_names(tmp_path: Path) -> None:
    text = cli("rrd", "print", "-v", write(tmp_path / "a.rrd", sample())).text
    assert "data columns: [/a@Scalars:scalars]" in text


def test_very_verbose_shows_schema_tables_without_then_with_data(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", sample())
    schema_only = cli("rrd", "print", "-vv", path).text
    assert "METADATA:" in schema_only and "* entity_path: /a" in schema_only
    assert "type: List(Float64)" in schema_only and "component_type: Scalar" in schema_only
    assert "row_" not in schema_only
    with_data = cli("rrd", "print", "-vvv", path).text
    assert "row_" in with_data and "[3.0]" in with_data and "null" in with_data
    assert "[hello]" in with_data  # text that looks like markup is shown as is


def test_full_metadata_keeps_prefixes(tmp_path: Path) -> None:
    text = cli("rrd", "print", "-vv", "--full-metadata=true", write(tmp_path / "a.rrd", sample())).text
    assert "rerun:component_type: rerun.components.Scalar" in text and "rerun.controls.RowId" in text


def test_transposed_tables(tmp_path: Path) -> None:
    text = cli("rrd", "print", "-vvv", "--transposed=true", write(tmp_path / "a.rrd", sample())).text
    assert "row 0" in text and "field" in text


def test_entity_filter(tmp_path: Path) -> None:
    text = cli("rrd", "print", "--entity", "b", write(tmp_path / "a.rrd", sample())).text
    chunk_lines = [line for line in text.splitlines() if line.startswith("Chunk(")]
    assert len(chunk_lines) == 1 and " - /b - " in chunk_lines[0]


def test_footers_at_each_level_of_detail(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", sample())
    lod0 = cli("rrd", "print", path, "--footers").text
    assert "chunk_entity_path" in lod0 and "chunk_byte_size_uncompressed" in lod0
    assert "step:start" not in lod0 and f'* source: "{path}"' in lod0
    lod1 = cli("rrd", "print", path, "--footers", "--footers-lod", "1").text
    assert "step:start" in lod1 and "step:Scalars:scalars:start" not in lod1
    lod2 = cli("rrd", "print", path, "--footers", "--footers-lod", "2").text
    assert "step:Scalars:scalars:start" in lod2


def test_optional_bool_flag_swallows_a_following_path_like_the_reference(tmp_path: Path) -> None:
    path = write(tmp_path / "a.rrd", sample())
    result = cli("rrd", "print", "--footers", path)
    assert result.code == 2 and "invalid value" in result.stderr


def test_reads_standard_input(tmp_path: Path) -> None:
    result = cli("rrd", "print", stdin=encode_rrd(sample()))
    assert result.code == 0 and result.text.count("Chunk(chunk_") == 4
    assert cli("rrd", "print", "-", stdin=encode_rrd(sample())).text.count("Chunk(chunk_") == 4


def test_bad_inputs_are_skipped_by_default_and_fail_when_asked(tmp_path: Path) -> None:
    good = write(tmp_path / "a.rrd", sample())
    bad = tmp_path / "bad.rrd"
    bad.write_bytes(b"# not a recording at all")
    missing = tmp_path / "missing.rrd"
    result = cli("rrd", "print", bad, missing, good)
    assert result.code == 0 and result.text.count("Chunk(chunk_") == 4
    assert "couldn't decode message" in result.stderr and "couldn't open" in result.stderr
    strict = cli("rrd", "print", "--continue-on-error=false", missing, good)
    assert strict.code == 1 and "one or more IO and/or decoding failures" in strict.stderr
    assert strict.text.count("Chunk(chunk_") == 4  # the readable input is still printed


def test_truncated_input_prints_what_is_there_and_warns(tmp_path: Path) -> None:
    data = encode_rrd(sample())
    path = tmp_path / "cut.rrd"
    path.write_bytes(data[: len(data) // 2])
    result = cli("rrd", "print", path)
    assert result.code == 0 and "ends early" in result.stderr and "Chunk(chunk_" in result.text
