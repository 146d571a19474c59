import sys

import rerun as rr

rr.init("corpus", recording_id="misc", send_properties=False)
rr.save(sys.argv[1])
rr.log("chart", rr.BarChart([1, 2, 3, 4]))
rr.log("ellipsoids", rr.Ellipsoids3D(half_sizes=[[1, 2, 3]], centers=[[0, 0, 0]], fill_mode="MajorWireframe"))
rr.log("spheres", rr.Ellipsoids3D(radii=[1.0, 2.0]))
rr.log("capsules", rr.Capsules3D(lengths=[1.0], radii=[0.2], translations=[[0, 0, 0]]))
rr.log("cylinders", rr.Cylinders3D(lengths=[2.0], radii=[0.5]))
rr.log("ellipses", rr.Ellipses2D(half_sizes=[[2, 1]], centers=[[0, 0]]))
rr.log("geo", rr.GeoPoints(lat_lon=[[59.3, 18.1]], radii=5.0, colors=[255, 0, 0]))
rr.log("geo/lines", rr.GeoLineStrings(lat_lon=[[[59.3, 18.1], [59.4, 18.2]]]))
rr.log("graph", rr.GraphNodes(node_ids=["a", "b"], labels=["A", "B"]))
rr.log("graph", rr.GraphEdges(edges=[("a", "b")], graph_type="directed"))
rr.log("poses", rr.InstancePoses3D(translations=[[0, 0, 0], [1, 0, 0]]))
rr.log("axes", rr.TransformAxes3D(axis_length=1.0))
rr.log("frame", rr.CoordinateFrame("base"))
rr.log("state", rr.StateChange(state="running"))
rr.log("doc", rr.TextDocument("plain"))
rr.log("video", rr.VideoFrameReference(seconds=1.5))
rr.log("encoded", rr.EncodedImage(contents=b"\x89PNG\r\n\x1a\n" + bytes(8), media_type="image/png"))
