"""``rerun.experimental``: the ViewerClient's checks before anything is sent, and 0.41's deprecated
forwards of the names that moved to ``rerun.chunk`` (each warning at the user's line)."""

from __future__ import annotations

import warnings

import pytest

import rerun as rr
import rerun.chunk
from rerun.experimental import ViewerClient


@pytest.mark.parametrize(
    "name", ["Chunk", "ChunkStore", "RrdReader", "LazyChunkStream", "OptimizationProfile"]
)
def test_moved_names_forward_to_rerun_chunk_with_a_deprecation_warning(name: str) -> None:
    with pytest.warns(
        DeprecationWarning, match=rf"`rerun.experimental.{name}` moved to `rerun.chunk.{name}`"
    ) as caught:
        value = getattr(rr.experimental, name)
    assert value is getattr(rerun.chunk, name)
    assert caught[0].filename == __file__  # points at the user's line, not at rerun's


def test_send_chunks_forwards_to_rerun() -> None:
    with pytest.warns(DeprecationWarning, match=r"moved to `rerun.send_chunks`"):
        assert rr.experimental.send_chunks is rr.send_chunks


def test_names_that_never_existed_are_attribute_errors() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError, match="has no attribute 'McapReader'"):
            _ = rr.experimental.McapReader  # 0.41 forwards it, but our rerun.chunk has no MCAP reader
        with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
            _ = rr.experimental.nothing


def test_the_client_checks_its_arguments_before_sending() -> None:
    client = ViewerClient.connect("rerun+http://127.0.0.1:9/proxy")  # nothing listens: nothing is sent
    assert client.url == "rerun+http://127.0.0.1:9/proxy"
    with pytest.raises(ValueError, match="at most one of sequence, duration, or timestamp"):
        client.set_time("t", sequence=1, duration=2.0)
    with pytest.raises(ValueError, match="expects a timeline, sequence, duration, timestamp, or play_state"):
        client.set_time()
    with pytest.raises(ValueError, match="cannot follow the latest data and also set a time"):
        client.set_time("t", sequence=1, play_state="following")
    with pytest.raises(ValueError, match="either `urls` or `store_ids`"):
        client.close()
    with pytest.warns(UserWarning, match="no viewer to terminate"):
        client.quit()
    with pytest.raises(ValueError, match="finite and greater than zero"):
        client.quit(timeout=0)


def test_an_unreachable_viewer_is_a_connection_error() -> None:
    client = ViewerClient.connect("rerun+http://127.0.0.1:9/proxy")
    with pytest.raises(ConnectionError, match=r"\(Unavailable\)"):
        client.get_state()


def test_a_url_that_is_not_a_proxy_is_refused() -> None:
    with pytest.raises(ValueError, match="Invalid or missing scheme"):
        ViewerClient.connect("http://127.0.0.1:9876")
