"""``rr.log_file_from_path`` / ``log_file_from_contents``: built-in importers for common file types.

Files are logged statically under ``<prefix>/<path of the file>``, announced by a ``SetStoreInfo``
whose source is "file (from the SDK)", as 0.41 does. ``.rrd`` files are forwarded as they are,
keeping their own store ids.
"""

from __future__ import annotations

import io
from pathlib import Path, PurePath
from typing import Any

from rerun._errors import catch_and_warn
from rerun._generated.archetypes import Asset3D, EncodedImage, TextDocument
from rerun_core import SetStoreInfo, StoreSourceKind
from rerun_core.entity_path import EntityPath
from rerun_core.proto import log_msg_pb2
from rerun_core.rrd import RrdDecoder

__all__ = ["log_file"]

_TEXT = {".md": "text/markdown", ".markdown": "text/markdown", ".txt": "text/plain"}
_MESHES = {".obj": "model/obj", ".glb": "model/gltf-binary", ".gltf": "model/gltf+json", ".stl": "model/stl"}
_IMAGES = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".bmp": "image/bmp",
    ".tif": "image/tiff", ".tiff": "image/tiff", ".webp": "image/webp",
}  # fmt: skip
_FILE_FROM_SDK = log_msg_pb2.FileSource(kind=log_msg_pb2.FILE_SOURCE_KIND_SDK).SerializeToString()


def log_file(recording: Any, file_path: str | Path, contents: bytes | None, *, entity_path_prefix: str | None,
             static: bool) -> None:  # fmt: skip
    context = "log_file_from_path" if contents is None else "log_file_from_contents"
    with catch_and_warn(context):
        path = Path(file_path)
        if contents is None:
            if not path.exists():
                raise RuntimeError(f'path does not exist: "{path}"')
            contents = path.read_bytes()
        suffix = path.suffix.lower()
        if suffix in (".rrd", ".rbl"):
            _forward_rrd(recording, contents)
            return
        archetype = _import(path, suffix, contents)
        recording._send(SetStoreInfo(recording.store_id, StoreSourceKind.FILE, _FILE_FROM_SDK))
        recording.log(_entity_path(entity_path_prefix, path), archetype, static=True)


def _import(path: Path, suffix: str, contents: bytes) -> Any:
    if suffix in _TEXT:
        return TextDocument(contents.decode("utf-8"), media_type=_TEXT[suffix])
    if suffix in _MESHES:
        return Asset3D(contents=contents, media_type=_MESHES[suffix])
    if suffix in _IMAGES:
        return EncodedImage(contents=contents, media_type=_IMAGES[suffix])
    raise RuntimeError(f'No importer support for "{path}"')


def _entity_path(prefix: str | None, path: PurePath) -> str:
    parts = [part for part in path.parts if part not in ("/", "\\")]
    base = EntityPath.parse(prefix) if prefix else EntityPath.root()
    for part in parts:
        base = base / part
    return str(base)


def _forward_rrd(recording: Any, contents: bytes) -> None:
    """An embedded recording keeps its own identity: its messages go to our sink unchanged."""
    recording._flush_quietly()
    for msg in RrdDecoder(io.BytesIO(contents)):
        recording._send(msg)
