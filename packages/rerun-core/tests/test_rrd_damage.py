"""Damaged streams: every complete message comes out, then one clear error naming a byte offset."""

from __future__ import annotations

import contextlib
import io
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rerun_core.errors import RrdDecodeError, RrdError
from rerun_core.rrd import MessageKind, RrdDecoder, RrdTruncatedError
from rerun_core.rrd.framing import MESSAGE_HEADER_SIZE, MessageHeader, StreamHeader

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "reference-0.41"
SMALL_FIXTURE = FIXTURES / "mesh3d.rrd"


@pytest.fixture(scope="module")
def small_fixture() -> bytes:
    if not SMALL_FIXTURE.exists():
        pytest.skip(f"{SMALL_FIXTURE} is missing")
    return SMALL_FIXTURE.read_bytes()


def decode_until_error(data: bytes, *, seekable: bool = True) -> tuple[list, RrdError | None, RrdDecoder]:
    source = io.BytesIO(data) if seekable else _Unseekable(data)
    decoder = RrdDecoder(source)  # type: ignore[arg-type]
    messages = []
    try:
        for msg in decoder:
            messages.append(msg)
    except RrdError as err:
        return messages, err, decoder
    return messages, None, decoder


class _Unseekable(io.RawIOBase):
    """A pipe-like source: reads return at most a few bytes and seeking is impossible."""

    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)
        self._pos = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = min(size if size >= 0 else len(self._data), 7)
        out = bytes(self._data[self._pos : self._pos + size])
        self._pos += len(out)
        return out


def message_ends(data: bytes) -> list[int]:
    """Byte offsets at which each non-End message of a single stream ends."""
    ends, pos = [], 12
    while pos < len(data):
        header = MessageHeader.from_bytes(data[pos : pos + MESSAGE_HEADER_SIZE])
        pos += MESSAGE_HEADER_SIZE + header.length
        if header.kind == MessageKind.END:
            break
        ends.append(pos)
    return ends


def test_intact_fixture_has_no_error(small_fixture: bytes) -> None:
    messages, error, decoder = decode_until_error(small_fixture)
    assert error is None and len(messages) == 4 and len(decoder.footers) == 1


@pytest.mark.parametrize("seekable", [True, False])
def test_every_prefix_yields_complete_messages_then_an_error(small_fixture: bytes, seekable: bool) -> None:
    full, _, _ = decode_until_error(small_fixture)
    ends = message_ends(small_fixture)
    step = (
        1 if seekable else 7
    )  # the pipe-like source is slower; every 7th prefix still crosses every boundary
    for length in range(0, len(small_fixture), step):
        messages, error, _ = decode_until_error(small_fixture[:length], seekable=seekable)
        complete = sum(1 for end in ends if end <= length)
        assert messages == full[:complete], f"prefix of {length} bytes"
        if length in (12, *ends):
            assert error is None  # a stream may stop at any message boundary (0.41 does without footers)
            continue
        assert isinstance(error, RrdTruncatedError), f"prefix of {length} bytes: {error!r}"
        assert 0 <= error.offset <= length
        assert f"byte offset {error.offset}" in str(error)


def test_random_byte_flips_never_crash(small_fixture: bytes) -> None:
    full, _, _ = decode_until_error(small_fixture)
    ends = message_ends(small_fixture)
    rng = random.Random(41)
    for _ in range(400):
        data = bytearray(small_fixture)
        position = rng.randrange(len(data))
        data[position] ^= 1 << rng.randrange(8)
        messages, error, _ = decode_until_error(bytes(data))
        untouched = sum(1 for end in ends if end <= position)
        assert messages[:untouched] == full[:untouched], f"flip at {position}"
        if error is not None:
            assert isinstance(error, RrdError)


def test_bad_footer_checksum_is_reported_after_all_messages(small_fixture: bytes) -> None:
    data = bytearray(small_fixture)
    data[-13] ^= 0xFF  # inside the crc of the stream footer
    messages, error, _ = decode_until_error(bytes(data))
    assert len(messages) == 4
    assert isinstance(error, RrdDecodeError) and "checksum" in str(error)
    decoder = RrdDecoder(io.BytesIO(bytes(data)), continue_on_error=True)
    assert len(list(decoder)) == 4 and len(decoder.errors) == 1 and not decoder.footers


def test_continue_on_error_skips_an_undecodable_body(small_fixture: bytes) -> None:
    ends = message_ends(small_fixture)
    data = bytearray(small_fixture)
    data[ends[1] + MESSAGE_HEADER_SIZE : ends[2]] = b"\xff" * (ends[2] - ends[1] - MESSAGE_HEADER_SIZE)
    decoder = RrdDecoder(io.BytesIO(bytes(data)), continue_on_error=True)
    messages = list(decoder)
    assert len(messages) == 3 and len(decoder.errors) == 1
    assert decoder.errors[0].offset == ends[1] + MESSAGE_HEADER_SIZE


def test_old_and_foreign_streams_are_rejected_clearly() -> None:
    with pytest.raises(RrdDecodeError, match=r"before Rerun 0\.23"):
        list(RrdDecoder(io.BytesIO(b"RRF1" + bytes(8))))
    with pytest.raises(RrdDecodeError, match="not an RRD stream"):
        list(RrdDecoder(io.BytesIO(b"PK\x03\x04" + bytes(8))))
    with pytest.raises(RrdError, match=r"0\.23 or newer"):
        list(RrdDecoder(io.BytesIO(StreamHeader(version=(0, 22, 0, 0)).to_bytes())))
    with pytest.raises(RrdTruncatedError, match="empty input"):
        list(RrdDecoder(io.BytesIO(b"")))


def _frame(kind: int, body: bytes) -> bytes:
    return MessageHeader(kind, len(body)).to_bytes() + body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bodies=st.lists(st.tuples(st.sampled_from([1, 2, 3]), st.binary(max_size=64)), max_size=8),
    streams=st.integers(1, 3),
)
def test_framing_round_trips(bodies: list[tuple[int, bytes]], streams: int) -> None:
    """Whatever the bodies hold, framing gives back exactly the frames that were written."""
    stream = StreamHeader().to_bytes() + b"".join(_frame(k, b) for k, b in bodies) + _frame(0, b"")
    decoder = RrdDecoder(io.BytesIO(stream * streams))
    frames = [(f.kind, f.body.to_pybytes()) for f in decoder.frames()]
    expected = [*bodies, (MessageKind.END, b"")] * streams
    assert frames == expected
    assert decoder.offset == len(stream) * streams


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=512))
def test_arbitrary_bytes_only_raise_rrd_errors(data: bytes) -> None:
    for prefix in (b"", StreamHeader().to_bytes()):
        decoder = RrdDecoder(io.BytesIO(prefix + data), continue_on_error=True)
        with contextlib.suppress(RrdError):
            list(decoder)
