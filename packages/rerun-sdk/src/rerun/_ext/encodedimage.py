"""``EncodedImage(path=|contents=, media_type=)``."""

from __future__ import annotations

from typing import Any

from rerun._ext._blob_archetype import init_blob


def init(self: Any, *, path: Any = None, contents: Any = None, media_type: Any = None, **fields: Any) -> None:
    init_blob(self, "EncodedImage", path=path, contents=contents, media_type=media_type, **fields)
