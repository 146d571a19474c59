import sys

import rerun as rr

rr.init("corpus", recording_id="annotations", send_properties=False)
rr.save(sys.argv[1])
rr.log("/", rr.AnnotationContext([(1, "person", (255, 0, 0)), (2, "car", (0, 0, 255))]), static=True)
rr.log(
    "skeleton",
    rr.AnnotationContext(
        rr.ClassDescription(
            info=(0, "body"), keypoint_annotations=[(0, "head"), (1, "hand")], keypoint_connections=[(0, 1)]
        )
    ),
    static=True,
)
