"""The benchmark's ``--trace``: an ack's time split where the server read the action and wrote the ack."""

import os
import subprocess
import sys
from pathlib import Path

from bench.run import ack_split
from bench.servers import traced_env


def test_an_ack_is_split_into_the_way_there_the_server_and_the_way_back(tmp_path):
    (tmp_path / "trace.11").write_text("in bench-1 10.010\nout 7 10.030\nin bench-2 11.000\n")
    (tmp_path / "trace.12").write_text("out 8 11.001\n")
    acks = [
        {"cid": "bench-1", "seq": 7, "sent": 10.000, "acked": 10.100, "error": None},
        {"cid": "bench-2", "seq": 8, "sent": 10.990, "acked": 11.003, "error": None},
        {"cid": "bench-3", "seq": None, "sent": 12.0, "acked": None, "error": "TimeoutError"},  # never matched
    ]
    split = ack_split(acks, sorted(tmp_path.glob("trace.*")))
    assert split["matched"] == 2
    assert split["to"]["max"] == 10.0 and split["in"]["max"] == 20.0 and split["back"]["max"] == 70.0
    # The slowest twentieth is the slowest ack here: its 100 ms were 10 there, 20 in the server, 70 back.
    assert round(split["back"]["slowest"]) == 70 and round(split["in"]["slowest"]) == 20


def test_a_traced_process_writes_what_it_read_and_acked(tmp_path):
    trace = tmp_path / "trace"
    script = (
        "from engineio import packet\n"
        "packet.Packet(encoded_packet='42' + '5[\"action\",{\"cid\":\"bench-9\",\"type\":\"answer\"}]')\n"
        "packet.Packet(packet.MESSAGE, '35[{\"ok\":true,\"seq\":41}]').encode()\n"
        "packet.Packet(packet.MESSAGE, '2[\"results\",{\"seq\":41}]').encode()\n"  # a push: not an ack
    )
    env = {**os.environ, **traced_env(trace)}
    subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=str(Path(__file__).parent.parent))
    (written,) = tmp_path.glob("trace.*")
    kinds = [line.split()[:2] for line in written.read_text().splitlines()]
    assert kinds == [["in", "bench-9"], ["out", "41"]]
