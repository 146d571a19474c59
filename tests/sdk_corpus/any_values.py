import sys

import numpy as np

import rerun as rr

rr.init("corpus", recording_id="any_values", send_properties=False)
rr.save(sys.argv[1])
for step in range(5):
    rr.set_time("step", sequence=step)
    rr.log(
        "any",
        rr.AnyValues(
            confidence=[0.1 * step, 0.2], description=f"step {step}", flag=step % 2 == 0, count=np.int64(step)
        ),
    )
    rr.log("dyn", rr.DynamicArchetype("MyArchetype", components={"speed": float(step), "label": "fast"}))
rr.log("any_static", rr.AnyValues(version="1.2.3"), static=True)
rr.send_columns(
    "any_columns",
    indexes=[rr.TimeColumn("step", sequence=[0, 1, 2])],
    columns=rr.AnyValues.columns(value=[1.0, 2.0, 3.0]),
)
