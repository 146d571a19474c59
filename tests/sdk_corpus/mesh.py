import sys

import numpy as np

import rerun as rr

rr.init("corpus", recording_id="mesh", send_properties=False)
rr.save(sys.argv[1])
rr.set_time("frame", sequence=0)
rr.log(
    "world/tetra",
    rr.Mesh3D(
        vertex_positions=[[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]],
        triangle_indices=[[0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3]],
        vertex_colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]],
        vertex_normals=[[0, 0, 1]] * 4,
    ),
)
rr.log(
    "world/textured",
    rr.Mesh3D(
        vertex_positions=[[0, 0, 0], [1, 0, 0], [0, 1, 0]],
        triangle_indices=[[0, 1, 2]],
        vertex_texcoords=[[0, 0], [1, 0], [0, 1]],
        albedo_texture=np.full((2, 2, 3), 200, np.uint8),
    ),
)
rr.log("world/asset", rr.Asset3D(contents=b"v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n", media_type="model/obj"))
