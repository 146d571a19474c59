"""The framed region of each batch (``views._camera._regions``), computed in one go from float32 or
float64 rows, against the plain definition: for points, mean ± 2 standard deviations per axis of the
points not beyond that (numpy's float64 ``mean``/``std``); for the rest, the bounding box; rows with a
non-finite coordinate left out."""

from __future__ import annotations

import numpy as np
import pytest

from rerun_viewer.views._camera import _regions

Batch = tuple[np.ndarray, bool]


def _plain_region(positions: np.ndarray, spread: bool) -> tuple[np.ndarray, np.ndarray] | None:
    rows = positions.astype(np.float64)
    rows = rows[np.isfinite(rows).all(axis=1)]
    if not len(rows):
        return None
    if not spread:
        return rows.min(axis=0), rows.max(axis=0)
    mean, std = rows.mean(axis=0), rows.std(axis=0)
    kept = rows[~(np.abs(rows - mean) > 2 * std).any(axis=1)]
    mean, std = kept.mean(axis=0), kept.std(axis=0)
    return mean - 2 * std, mean + 2 * std


def _assert_regions(batches: list[Batch]) -> None:
    for index, ours in enumerate(_regions(batches)):
        plain = _plain_region(*batches[index])
        assert (ours is None) == (plain is None), index
        if ours is not None and plain is not None:
            size = max(float(np.max(plain[1] - plain[0])), 1e-30)
            np.testing.assert_allclose(
                np.array(ours), np.array(plain), rtol=0, atol=1e-6 * size, err_msg=str(index)
            )


def _cloud(seed: int, count: int, scale: float, offset: float, dtype: type = np.float32) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(count, 3)) * scale * rng.uniform(0.2, 2, size=3) + offset).astype(dtype)


def test_a_large_float32_cloud_is_framed_as_defined() -> None:
    _assert_regions([(_cloud(1, 100_000, 1.0, 0.0), True)])


@pytest.mark.parametrize("offset", [0.0, 250.0, 3e4], ids=["at the origin", "far", "very far"])
def test_many_small_batches_of_points_and_boxes_together(offset: float) -> None:
    batches = [(_cloud(seed, 5 + seed % 17, 0.5, offset + seed), seed % 3 != 0) for seed in range(300)]
    _assert_regions(batches)


def test_rows_with_non_finite_coordinates_are_left_out() -> None:
    holes = _cloud(2, 500, 1.0, 0.0, np.float64)
    holes[::7, 1] = np.nan
    holes[3, 2] = np.inf
    nothing = np.full((3, 3), np.nan)
    batches: list[Batch] = [
        (holes, True), (holes, False), (nothing, True), (np.full((2, 3), np.inf), False),
        (_cloud(3, 1_000, 1.0, 5.0), True), (np.ones((4, 3), np.float32), True), (np.array([[1.0, 2, 3]]), True),
    ]  # fmt: skip
    _assert_regions(batches)
    assert _regions(batches)[2] is None and _regions(batches)[3] is None


def test_a_far_outlier_does_not_widen_its_batch() -> None:
    cluster = np.repeat([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], 4, axis=0)
    ((lo, hi),) = _regions([(np.r_[cluster, [[50.0, 0, 0]]].astype(np.float32), True)])  # type: ignore[misc]
    np.testing.assert_allclose((lo, hi), ((-2, -2, -2), (2, 2, 2)), atol=1e-6)
