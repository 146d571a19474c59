"""Protobuf / gRPC stubs of the Rerun 0.41 wire protocol (``rerun.*.v1alpha1``).

The ``*_pb2*.py(i)`` modules here are generated from ``proto/rerun/v1alpha1/*.proto`` by
``tools/gen_proto.py``; do not edit them. Import the one you need, e.g.
``from rerun_core.proto import log_msg_pb2``.
"""
