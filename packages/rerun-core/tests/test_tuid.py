"""Tuid byte order, text form and monotonic generation."""

from __future__ import annotations

import threading

import pytest

from rerun_core.tuid import Tuid, TuidGenerator, new_tuid, new_tuids


def test_text_form_matches_0_41() -> None:
    tuid = Tuid.parse("chunk_18EB4694BF1A08493ab33f5dcf5bb24a")
    assert tuid.time_ns == 0x18EB4694BF1A0849 and tuid.inc == 0x3AB33F5DCF5BB24A
    assert str(tuid) == "18EB4694BF1A08493ab33f5dcf5bb24a"
    assert Tuid.parse(str(tuid)) == tuid


def test_bytes_are_big_endian_halves() -> None:
    tuid = Tuid(0x0102030405060708, 0x1112131415161718)
    assert tuid.to_bytes() == bytes(range(1, 9)) + bytes(range(0x11, 0x19))
    assert Tuid.from_bytes(tuid.to_bytes()) == tuid


@pytest.mark.parametrize("text", ["", "chunk_", "xyz", "0" * 31, "g" * 32])
def test_bad_text_is_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="not a Tuid"):
        Tuid.parse(text)


def test_out_of_range_halves_are_rejected() -> None:
    with pytest.raises(ValueError):
        Tuid(-1, 0)
    with pytest.raises(ValueError):
        Tuid(0, 1 << 64)


def test_generated_ids_strictly_increase_and_sort_as_bytes() -> None:
    ids = [new_tuid() for _ in range(1000)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert [t.to_bytes() for t in ids] == sorted(t.to_bytes() for t in ids)
    assert all(t.inc < (1 << 64) for t in ids)


def test_batch_ids_continue_the_sequence() -> None:
    first = new_tuid()
    batch = [Tuid.from_bytes(b) for b in new_tuids(500).to_pylist()]
    last = new_tuid()
    assert first < batch[0] and batch == sorted(batch) and batch[-1] < last
    assert [t.inc - batch[0].inc for t in batch] == list(range(500))


def test_generator_is_thread_safe() -> None:
    generator = TuidGenerator()
    results: list[list[Tuid]] = [[] for _ in range(4)]

    def work(out: list[Tuid]) -> None:
        out.extend(generator.new() for _ in range(2000))

    threads = [threading.Thread(target=work, args=(out,)) for out in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [t for out in results for t in out]
    assert len(set(everything)) == len(everything)
    assert all(out == sorted(out) for out in results)
