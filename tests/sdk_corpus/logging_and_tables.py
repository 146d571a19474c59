import logging
import sys

import pyarrow as pa

import rerun as rr

rr.init("corpus", recording_id="logging_and_tables", send_properties=False)
rr.save(sys.argv[1])
logger = logging.getLogger("corpus")
logger.addHandler(rr.LoggingHandler("logs"))
logger.setLevel(logging.DEBUG)
logger.info("hello %s", "world")
logger.warning("careful")
logger.debug("details")
logger.log(5, "custom level")
logger.critical("stop")
table = pa.record_batch({"t": pa.array([1, 2], pa.int64()), "x": [1.0, 2.0], "name": ["a", "b"]})
rr.send_record_batch(table, index="t", entity_path="table")
rr.send_record_batch(pa.record_batch({"v": [3, 4]}), index=None, entity_path="static_table")
