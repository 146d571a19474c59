"""``Mesh3D(albedo_texture=...)``: an image array becomes the texture buffer and format."""

from __future__ import annotations

from typing import Any

from rerun._ext._common import warn_on_error
from rerun._ext.images import image_from_array


def init(self: Any, *, albedo_texture: Any = None, **fields: Any) -> None:
    if albedo_texture is not None:
        with warn_on_error("Mesh3D"):
            buffer, format_ = image_from_array(albedo_texture)
            fields["albedo_texture_buffer"] = [buffer]
            fields["albedo_texture_format"] = format_
    self._set(**fields)
