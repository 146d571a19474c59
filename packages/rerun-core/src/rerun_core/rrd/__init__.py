"""The RRD codec: RRF2 streams of log messages, as files, pipes or bytes."""

from rerun_core.rrd.decoder import Frame, RrdDecoder, RrdTruncatedError, decode_frame, decode_rrd, read_rrd
from rerun_core.rrd.encoder import RrdEncoder, encode_rrd
from rerun_core.rrd.framing import MessageKind, StreamHeader
from rerun_core.rrd.manifest import ChunkLocation, Manifest, ManifestBuilder

__all__ = [
    "ChunkLocation",
    "Frame",
    "Manifest",
    "ManifestBuilder",
    "MessageKind",
    "RrdDecoder",
    "RrdEncoder",
    "RrdTruncatedError",
    "StreamHeader",
    "decode_frame",
    "decode_rrd",
    "encode_rrd",
    "read_rrd",
]
