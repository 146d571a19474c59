"""Archetypes holding one file's bytes (``path=`` or ``contents=``) and its media type."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from rerun._ext._common import warn_on_error

_EXTRA_TYPES = {
    ".glb": "model/gltf-binary",
    ".gltf": "model/gltf+json",
    ".obj": "model/obj",
    ".stl": "model/stl",
    ".mp4": "video/mp4",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".md": "text/markdown",
}


def guess_media_type(path: Path) -> str | None:
    return _EXTRA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]


def init_blob(self: Any, name: str, *, path: Any, contents: Any, media_type: Any, **fields: Any) -> None:
    blob = None
    with warn_on_error(name):
        if (path is None) == (contents is None):
            raise ValueError("Must provide exactly one of 'path' or 'contents'")
        if path is not None:
            blob = Path(path).read_bytes()
            if media_type is None:
                media_type = guess_media_type(Path(path))
        else:
            blob = contents
    self._set(blob=None if blob is None else [blob], media_type=media_type, **fields)
