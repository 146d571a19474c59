"""Tests of the protobuf definitions in ``proto/`` and the stubs generated from them by ``tools/gen_proto.py``.

The compiled descriptors are checked against the Rerun 0.41 wire-schema listing (``shared/spec/``), which
lists every enum, message, field and rpc of the reference protocol.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest
from google.protobuf import descriptor_pb2
from google.protobuf.descriptor_pb2 import FieldDescriptorProto as FDP
from google.protobuf.descriptor_pb2 import FileDescriptorProto as FileProto

REPO_ROOT = Path(__file__).resolve().parents[1]
SPEC_PATH = REPO_ROOT.parent / "shared" / "spec" / "rerun-0.41-wire-schema.txt"
GEN_PROTO_PATH = REPO_ROOT / "tools" / "gen_proto.py"
STUB_DIR = REPO_ROOT / "packages" / "rerun-core" / "src" / "rerun_core" / "proto"

PROTO_NAMES = ("common", "log_msg", "cloud", "sdk_comms", "viewer_control")
GRPC_NAMES = ("cloud", "sdk_comms", "viewer_control")
ALL_MODULES = tuple(f"rerun_core.proto.{n}_pb2" for n in PROTO_NAMES) + tuple(
    f"rerun_core.proto.{n}_pb2_grpc" for n in GRPC_NAMES
)

SCALAR_TYPES = {
    name: getattr(FDP, f"TYPE_{name.upper()}")
    for name in (
        "double",
        "float",
        "int32",
        "int64",
        "uint32",
        "uint64",
        "sint32",
        "sint64",
        "fixed32",
        "fixed64",
        "sfixed32",
        "sfixed64",
        "bool",
        "string",
        "bytes",
    )
}


# --------------------------------------------------------------------------------------------------------------
# The listing


@dataclass
class SpecField:
    """One field line of the listing."""

    name: str
    number: int
    type_name: str  # a scalar keyword or a fully-qualified type name (no leading dot)
    label: str | None  # "optional", "repeated" or None
    oneof: str | None
    deprecated: bool


@dataclass
class SpecMessage:
    """One message of the listing."""

    full_name: str
    fields: list[SpecField] = field(default_factory=list)
    reserved: list[tuple[int, int]] = field(default_factory=list)  # inclusive ranges


@dataclass
class SpecRpc:
    """One rpc line of the listing."""

    name: str
    input_type: str
    output_type: str
    client_streaming: bool
    server_streaming: bool


@dataclass
class SpecFile:
    """One ``// ===== <file> package <pkg>`` section of the listing."""

    name: str
    package: str
    enums: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    messages: dict[str, SpecMessage] = field(default_factory=dict)
    services: dict[str, list[SpecRpc]] = field(default_factory=dict)


_SECTION_RE = re.compile(r"^// ===== (\S+) package (\S+)$")
_ENUM_RE = re.compile(r"^\s*enum (\w+) \{ (.*) \}$")
_MESSAGE_RE = re.compile(r"^message (\w+) \{$")
_SERVICE_RE = re.compile(r"^service (\w+) \{$")
_FIELD_RE = re.compile(
    r"^  (?:(optional|repeated) )?([\w.]+) (\w+) = (\d+);(?: \[(?:(deprecated)|oneof (\w+))\])?$"
)
_RESERVED_RE = re.compile(r"^  reserved (\d+)\.\.(\d+);$")
_RPC_RE = re.compile(r"^  rpc (\w+)\((stream )?([\w.]+)\) returns \((stream )?([\w.]+)\);$")


def _parse_enum_values(body: str) -> list[tuple[str, int]]:
    values = []
    for item in body.split(","):
        name, number = item.strip().split("=")
        values.append((name.strip(), int(number)))
    return values


def parse_listing(text: str) -> dict[str, SpecFile]:
    """Parse the wire-schema listing into ``{file name: SpecFile}``; fails on any line it does not know."""
    files: dict[str, SpecFile] = {}
    current: SpecFile | None = None
    message: SpecMessage | None = None
    service: list[SpecRpc] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        where = f"listing line {lineno}: {line!r}"
        if not line.strip():
            continue
        if m := _SECTION_RE.match(line):
            current = files[m.group(1)] = SpecFile(m.group(1), m.group(2))
            continue
        assert current is not None, where
        if line == "}":
            assert message is not None or service is not None, where
            message, service = None, None
        elif message is not None:
            if m := _ENUM_RE.match(line):
                current.enums[f"{message.full_name}.{m.group(1)}"] = _parse_enum_values(m.group(2))
            elif m := _RESERVED_RE.match(line):
                message.reserved.append((int(m.group(1)), int(m.group(2))))
            elif m := _FIELD_RE.match(line):
                label, type_name, name, number, deprecated, oneof = m.groups()
                message.fields.append(SpecField(name, int(number), type_name, label, oneof, bool(deprecated)))
            else:
                raise AssertionError(f"unknown message line, {where}")
        elif service is not None:
            m = _RPC_RE.match(line)
            assert m, f"unknown service line, {where}"
            name, cs, req, ss, resp = m.groups()
            service.append(SpecRpc(name, req, resp, bool(cs), bool(ss)))
        elif m := _ENUM_RE.match(line):
            current.enums[f"{current.package}.{m.group(1)}"] = _parse_enum_values(m.group(2))
        elif m := _MESSAGE_RE.match(line):
            message = SpecMessage(f"{current.package}.{m.group(1)}")
            current.messages[message.full_name] = message
        elif m := _SERVICE_RE.match(line):
            service = current.services[f"{current.package}.{m.group(1)}"] = []
        else:
            raise AssertionError(f"unknown top-level line, {where}")
    return files


@pytest.fixture(scope="module")
def spec() -> dict[str, SpecFile]:
    """The parsed listing (skips when the shared spec is not checked out next to the repo)."""
    if not SPEC_PATH.is_file():
        pytest.skip(f"wire-schema listing not found at {SPEC_PATH} (the shared/ spec checkout is absent)")
    files = parse_listing(SPEC_PATH.read_text(encoding="utf-8"))
    assert sorted(files) == sorted(f"rerun/v1alpha1/{n}.proto" for n in PROTO_NAMES)
    return files


# --------------------------------------------------------------------------------------------------------------
# The compiled descriptors


def _file_proto(name: str) -> descriptor_pb2.FileDescriptorProto:
    module = importlib.import_module(f"rerun_core.proto.{name}_pb2")
    proto = descriptor_pb2.FileDescriptorProto()
    module.DESCRIPTOR.CopyToProto(proto)
    return proto


@pytest.fixture(scope="module")
def compiled() -> dict[str, descriptor_pb2.FileDescriptorProto]:
    """``{file name: FileDescriptorProto}`` as loaded by the generated modules."""
    protos = {f"rerun/v1alpha1/{n}.proto": _file_proto(n) for n in PROTO_NAMES}
    for name, proto in protos.items():
        assert proto.name == name
    return protos


def _walk_messages(
    prefix: str, messages: list[descriptor_pb2.DescriptorProto]
) -> dict[str, descriptor_pb2.DescriptorProto]:
    out = {}
    for msg in messages:
        full_name = f"{prefix}.{msg.name}"
        out[full_name] = msg
        out.update(_walk_messages(full_name, list(msg.nested_type)))
    return out


def _walk_enums(
    prefix: str, fdp: descriptor_pb2.FileDescriptorProto
) -> dict[str, descriptor_pb2.EnumDescriptorProto]:
    out = {f"{prefix}.{e.name}": e for e in fdp.enum_type}
    for msg_name, msg in _walk_messages(prefix, list(fdp.message_type)).items():
        out.update({f"{msg_name}.{e.name}": e for e in msg.enum_type})
    return out


def _all_spec_enums(spec: dict[str, SpecFile]) -> set[str]:
    return {name for f in spec.values() for name in f.enums}


def _check_field(
    where: str, msg: descriptor_pb2.DescriptorProto, got: FDP, want: SpecField, enum_names: set[str]
) -> None:
    assert got.name == want.name, where
    assert got.number == want.number, where
    # type
    if want.type_name in SCALAR_TYPES:
        assert got.type == SCALAR_TYPES[want.type_name], where
        assert not got.type_name, where
    else:
        assert got.type_name == f".{want.type_name}", where
        expected_kind = FDP.TYPE_ENUM if want.type_name in enum_names else FDP.TYPE_MESSAGE
        assert got.type == expected_kind, where
    # label
    if want.label == "repeated":
        assert got.label == FDP.LABEL_REPEATED, where
        assert not got.proto3_optional, where
    else:
        assert got.label == FDP.LABEL_OPTIONAL, where
        assert got.proto3_optional == (want.label == "optional"), where
    # oneof membership (proto3 `optional` fields live in a synthetic oneof, which is not a real one)
    real_oneof = None
    if got.HasField("oneof_index") and not got.proto3_optional:
        real_oneof = msg.oneof_decl[got.oneof_index].name
    assert real_oneof == want.oneof, where
    assert got.options.deprecated == want.deprecated, where


def test_listing_files_and_packages(spec: dict[str, SpecFile], compiled: dict[str, FileProto]) -> None:
    """Every file is proto3 with the package of the listing."""
    for name, want in spec.items():
        got = compiled[name]
        assert got.package == want.package, name
        assert got.syntax == "proto3", name
        assert not got.extension, name


def test_listing_enums(spec: dict[str, SpecFile], compiled: dict[str, FileProto]) -> None:
    """Every enum (top-level and nested) has exactly the listed values, names and numbers, in order."""
    for name, want in spec.items():
        got = _walk_enums(want.package, compiled[name])
        assert sorted(got) == sorted(want.enums), name
        for enum_name, values in want.enums.items():
            assert [(v.name, v.number) for v in got[enum_name].value] == values, enum_name


def test_listing_messages(spec: dict[str, SpecFile], compiled: dict[str, FileProto]) -> None:
    """Every message has exactly the listed fields (number, type, label, oneof, deprecation) and reservations."""
    enum_names = _all_spec_enums(spec)
    checked = 0
    for name, want_file in spec.items():
        got_messages = _walk_messages(want_file.package, list(compiled[name].message_type))
        assert sorted(got_messages) == sorted(want_file.messages), name
        for msg_name, want in want_file.messages.items():
            msg = got_messages[msg_name]
            assert [f.name for f in msg.field] == [f.name for f in want.fields], msg_name
            for got_field, want_field in zip(msg.field, want.fields, strict=True):
                _check_field(f"{msg_name}.{want_field.name}", msg, got_field, want_field, enum_names)
                checked += 1
            real_oneofs = {
                msg.oneof_decl[f.oneof_index].name
                for f in msg.field
                if f.HasField("oneof_index") and not f.proto3_optional
            }
            assert real_oneofs == {f.oneof for f in want.fields if f.oneof}, msg_name
            got_reserved = [(r.start, r.end - 1) for r in msg.reserved_range]  # descriptor ends are exclusive
            assert sorted(got_reserved) == sorted(want.reserved), msg_name
            assert not msg.reserved_name, msg_name
    assert checked > 500  # the listing has ~560 fields: guard against a parser that silently skips


def test_listing_services(spec: dict[str, SpecFile], compiled: dict[str, FileProto]) -> None:
    """Every service has exactly the listed rpcs with their request/response types and streaming flags."""
    for name, want_file in spec.items():
        got_services = {f"{want_file.package}.{s.name}": s for s in compiled[name].service}
        assert sorted(got_services) == sorted(want_file.services), name
        for svc_name, rpcs in want_file.services.items():
            got = [
                (m.name, m.input_type, m.output_type, m.client_streaming, m.server_streaming)
                for m in got_services[svc_name].method
            ]
            want = [
                (r.name, f".{r.input_type}", f".{r.output_type}", r.client_streaming, r.server_streaming)
                for r in rpcs
            ]
            assert got == want, svc_name


def test_imports_are_exactly_those_used(compiled: dict[str, FileProto]) -> None:
    """Each .proto imports exactly the files whose types it references (protoc would warn on unused ones)."""
    owner = {}
    for name, fdp in compiled.items():
        for type_name in [
            *_walk_messages(fdp.package, list(fdp.message_type)),
            *_walk_enums(fdp.package, fdp),
        ]:
            owner[type_name] = name
    wkt = {
        "google.protobuf.Timestamp": "google/protobuf/timestamp.proto",
        "google.protobuf.Duration": "google/protobuf/duration.proto",
        "google.protobuf.Empty": "google/protobuf/empty.proto",
        "google.protobuf.Any": "google/protobuf/any.proto",
    }
    owner.update(wkt)
    for name, fdp in compiled.items():
        used = set()
        for msg in _walk_messages(fdp.package, list(fdp.message_type)).values():
            used |= {owner[f.type_name[1:]] for f in msg.field if f.type_name}
        for svc in fdp.service:
            used |= {owner[t[1:]] for m in svc.method for t in (m.input_type, m.output_type)}
        assert sorted(fdp.dependency) == sorted(used - {name}), name


# --------------------------------------------------------------------------------------------------------------
# The generator and the generated modules


def _load_gen_proto() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_proto", GEN_PROTO_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_stubs_are_fresh() -> None:
    """The committed stubs are exactly what the generator produces now (`gen_proto.py --check` passes)."""
    gen_proto = _load_gen_proto()
    stale = gen_proto.stale_files(gen_proto.generate(), STUB_DIR)
    assert stale == [], f"stale stubs, run `python tools/gen_proto.py`: {stale}"


def test_check_mode_cli(tmp_path: Path) -> None:
    """``--check`` exits 1 listing stale files without writing; writing then makes it pass, deterministically."""
    cmd = [sys.executable, str(GEN_PROTO_PATH), "--out", str(tmp_path)]
    result = subprocess.run([*cmd, "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "log_msg_pb2.py" in result.stderr
    assert list(tmp_path.iterdir()) == []

    (tmp_path / "leftover_pb2_grpc.py").write_text("# stale\n")
    subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert not (tmp_path / "leftover_pb2_grpc.py").exists()
    result = subprocess.run([*cmd, "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr

    written = sorted(p.name for p in tmp_path.iterdir())
    expected = sorted(
        [f"{n}_pb2.py" for n in PROTO_NAMES]
        + [f"{n}_pb2.pyi" for n in PROTO_NAMES]
        + [f"{n}_pb2_grpc.py" for n in GRPC_NAMES]
    )
    assert written == expected
    for name in written:  # a second run produced byte-identical files to the committed ones
        assert (tmp_path / name).read_bytes() == (STUB_DIR / name).read_bytes(), name


def test_generated_headers() -> None:
    """Every generated file starts with the generator's header naming its source."""
    for path in sorted(STUB_DIR.glob("*_pb2*.py*")):
        source = path.name.split("_pb2")[0]
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == (
            f"# Generated by tools/gen_proto.py from proto/rerun/v1alpha1/{source}.proto. Do not edit."
        ), path.name


def test_nothing_imports_rerun_statically() -> None:
    """No module (or stub) under rerun_core/proto imports the `rerun` package (our SDK)."""
    paths = sorted(STUB_DIR.glob("*.py")) + sorted(STUB_DIR.glob("*.pyi"))
    assert len(paths) >= 14
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                assert module.split(".")[0] != "rerun", f"{path.name}:{node.lineno} imports {module}"


def test_modules_import_cleanly_without_rerun() -> None:
    """All generated modules import in a fresh interpreter with warnings as errors, never loading `rerun`."""
    code = (
        "import importlib, sys\n"
        f"for name in {list(ALL_MODULES)!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'rerun' or m.startswith('rerun.'))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_arrow_msg_round_trip() -> None:
    """An ArrowMsg with store id, chunk id and the static flag survives serialization."""
    from rerun_core.proto import common_pb2, log_msg_pb2

    msg = log_msg_pb2.ArrowMsg(
        store_id=common_pb2.StoreId(
            kind=common_pb2.STORE_KIND_RECORDING,
            recording_id="rec-1",
            application_id=common_pb2.ApplicationId(id="app"),
        ),
        chunk_id=common_pb2.Tuid(time_ns=1_700_000_000_000_000_000, inc=42),
        compression=common_pb2.COMPRESSION_LZ4,
        uncompressed_size=3,
        encoding=log_msg_pb2.ENCODING_ARROW_IPC,
        payload=b"abc",
        is_static=False,
    )
    parsed = log_msg_pb2.ArrowMsg.FromString(msg.SerializeToString())
    assert parsed == msg
    assert parsed.store_id.recording_id == "rec-1"
    assert parsed.store_id.application_id.id == "app"
    assert parsed.chunk_id.time_ns == 1_700_000_000_000_000_000
    assert parsed.chunk_id.inc == 42
    # proto3 `optional`: explicitly set to the default value is still present on the wire
    assert parsed.HasField("is_static") and parsed.is_static is False
    assert not log_msg_pb2.ArrowMsg().HasField("is_static")

    wrapped = log_msg_pb2.LogMsg(arrow_msg=parsed)
    assert log_msg_pb2.LogMsg.FromString(wrapped.SerializeToString()).WhichOneof("msg") == "arrow_msg"


def test_grpc_classes_exist() -> None:
    """The gRPC stubs and servicers are generated for the services."""
    from rerun_core.proto import cloud_pb2_grpc, sdk_comms_pb2_grpc, viewer_control_pb2_grpc

    assert callable(sdk_comms_pb2_grpc.MessageProxyServiceStub)
    assert callable(sdk_comms_pb2_grpc.add_MessageProxyServiceServicer_to_server)
    assert hasattr(cloud_pb2_grpc.RerunCloudServiceServicer, "QueryDataset")
    assert hasattr(viewer_control_pb2_grpc, "ViewerControlServiceStub")
    for absent in ("common_pb2_grpc.py", "log_msg_pb2_grpc.py"):
        assert not (STUB_DIR / absent).exists(), f"{absent} has no services and should not be generated"
