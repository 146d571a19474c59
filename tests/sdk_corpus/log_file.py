import sys
from pathlib import Path

import rerun as rr

rr.init("corpus", recording_id="log_file", send_properties=False)
rr.save(sys.argv[1])
folder = Path(sys.argv[1]).parent / "files"
folder.mkdir(exist_ok=True)
(folder / "note.md").write_text("# Title\nhello")
(folder / "tri.obj").write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
(folder / "pixel.png").write_bytes(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc0000003010100189dd2e30000000049454e44ae426082"
    )
)
rr.log_file_from_path(folder / "note.md")
rr.log_file_from_path(str(folder / "tri.obj"), entity_path_prefix="files")
rr.set_time("frame", sequence=7)
rr.log_file_from_path(folder / "pixel.png", entity_path_prefix="images")
rr.log_file_from_contents(str(folder / "other.txt"), b"some text", entity_path_prefix="files")
