import sys

import numpy as np

import rerun as rr

rr.init("corpus", recording_id="send_columns", send_properties=False)
rr.save(sys.argv[1])
steps = np.arange(1000)
rr.send_columns(
    "columns/sin",
    indexes=[rr.TimeColumn("step", sequence=steps), rr.TimeColumn("time", duration=steps * 0.01)],
    columns=rr.Scalars.columns(scalars=np.sin(steps / 10)),
)
rr.send_columns(
    "columns/cos_pair",
    indexes=[rr.TimeColumn("step", sequence=steps)],
    columns=rr.Scalars.columns(
        scalars=np.stack([np.cos(steps / 10), -np.cos(steps / 10)], axis=1).ravel()
    ).partition([2] * 1000),
)
rr.send_columns(
    "columns/points",
    indexes=[rr.TimeColumn("step", sequence=np.arange(10))],
    columns=rr.Points3D.columns(positions=np.arange(150, dtype=np.float32).reshape(50, 3)).partition(
        [5] * 10
    ),
)
rr.send_columns(
    "columns/stamped",
    indexes=[
        rr.TimeColumn(
            "when", timestamp=np.array(["2024-01-01T00:00:00", "2024-01-01T00:00:01"], dtype="datetime64[ns]")
        )
    ],
    columns=rr.Scalars.columns(scalars=[1.0, 2.0]),
)
