import sys

import numpy as np

import rerun as rr

rr.init("corpus", recording_id="rare_archetypes", send_properties=False)
rr.save(sys.argv[1])
rr.set_time("frame", sequence=1)
rr.log("audio", rr.AssetAudio(contents=b"RIFF0000WAVE", media_type="audio/wav"))
rr.log("video", rr.AssetVideo(contents=b"\x00\x00\x00\x18ftypmp42", media_type="video/mp4"))
rr.log(
    "depth_png", rr.EncodedDepthImage(b"\x89PNG\r\n\x1a\n" + bytes(8), media_type="image/png", meter=1000.0)
)
rr.log(
    "splats",
    rr.GaussianSplats3D(centers=[[0, 0, 0], [1, 1, 1]], scales=[[1, 1, 1], [2, 2, 2]], colors=[255, 0, 0]),
)
rr.log("tensor", rr.Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4), dim_names=["a", "b", "c"]))
rr.log("measure", rr.Measurements(values=[1.0, 2.0], variances=[0.1, 0.2], names=["x", "y"]))
rr.log(
    "states",
    rr.StateConfiguration(values=["on", "off"], labels=["On", "Off"], colors=[[0, 255, 0], [255, 0, 0]]),
)
rr.log("stream", rr.VideoStream(codec=rr.VideoCodec.H264, sample=b"\x00\x00\x00\x01\x67", is_keyframe=True))
rr.log("mcap/channel", rr.McapChannel(id=1, topic="/cam", message_encoding="cdr"))
rr.log("mcap/schema", rr.McapSchema(id=1, name="Image", encoding="ros2msg", data=b"uint8[] data"))
rr.log("mcap/message", rr.McapMessage(data=b"\x01\x02"))
rr.log(
    "grid",
    rr.GridMap(
        data=np.zeros(16, np.uint8),
        format=rr.encodings.ImageFormat(width=4, height=4, color_model="L", channel_datatype="U8"),
        cell_size=0.5,
    ),
)
rr.log(
    "volume",
    rr.Volume3D(np.zeros((2, 2, 2), np.float32), voxel_size=[1, 1, 1], value_range=[0, 1], gamma=1.5),
)
rr.log(
    "voxels",
    rr.VoxelGridMap(voxel_indices=[[0, 0, 0], [1, 2, 3]], voxel_size=[0.5, 0.5, 0.5], values=[1.0, 2.0]),
)
rr.log(
    "mcap/stats",
    rr.McapStatistics(
        message_count=10,
        schema_count=1,
        channel_count=1,
        attachment_count=0,
        metadata_count=0,
        chunk_count=2,
        message_start_time=0,
        message_end_time=100,
    ),
)
