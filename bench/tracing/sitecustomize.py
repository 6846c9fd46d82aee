"""Loaded by a traced server (``python -m bench --trace``) through ``PYTHONPATH``: when each
action's frame is read and when its ack's frame is written, in the server, so an ack's time
splits into the client's side and the server's. Nothing of the server's code is changed.

Every Engine.IO packet passes through ``engineio.packet.Packet``: an incoming one is decoded
by its constructor, an outgoing one encoded by ``encode`` just before its websocket frame is
sent. An action is known by its ``cid``, an ack by its ``seq``: each line of the file named by
``BENCH_TRACE`` is ``in <cid> <time>`` or ``out <seq> <time>``, times ``time.monotonic()``
(one clock for every process of the machine). An incoming Socket.IO event (type 2) is searched
for its ``cid``, an outgoing ack (type 3) for its ``seq``; a push (an outgoing event) never.
"""

import os
import re
import time

_path = os.environ.get("BENCH_TRACE")
if _path:
    from engineio import packet as _packet

    _file = open(f"{_path}.{os.getpid()}", "a", buffering=1)  # noqa: SIM115 (for the process' life)
    _cid = re.compile(r'"cid":\s*"([^"]+)"')
    _seq = re.compile(r'"seq":\s*(\d+)')
    _init, _encode = _packet.Packet.__init__, _packet.Packet.encode

    def _traced_init(self, packet_type=_packet.NOOP, data=None, encoded_packet=None):
        _init(self, packet_type, data, encoded_packet)
        if encoded_packet is not None and isinstance(self.data, str) and self.data.startswith("2"):
            found = _cid.search(self.data)
            if found and '"action"' in self.data[:40]:
                _file.write(f"in {found.group(1)} {time.monotonic():.6f}\n")

    def _traced_encode(self, b64=False):
        if self.packet_type == _packet.MESSAGE and isinstance(self.data, str) and self.data.startswith("3"):
            found = _seq.search(self.data)
            if found:
                _file.write(f"out {found.group(1)} {time.monotonic():.6f}\n")
        return _encode(self, b64)

    _packet.Packet.__init__ = _traced_init
    _packet.Packet.encode = _traced_encode
