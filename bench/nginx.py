"""The nginx configuration of docs/deployment.md, checked with ``nginx -t`` and run in front of the servers.

The configuration is read from the document itself (its ``nginx`` code block),
so what is published is what is tested; only the listen address and the
upstream servers are replaced by the benchmark's free ports.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from .servers import ROOT, free_port, stop, wait_http

DOC = ROOT / "docs" / "deployment.md"


def published() -> str:
    found = re.search(r"```nginx\n(.*?)```", DOC.read_text(), re.S)
    if not found:
        raise RuntimeError("docs/deployment.md has no nginx block")
    return found.group(1)


def binary() -> str | None:
    return shutil.which("nginx") or (shutil.which("nginx", path="/usr/sbin:/sbin"))


def write(directory: Path, backends: list[str]) -> tuple[Path, int]:
    port = free_port()
    site = published().replace("listen 80;", f"listen 127.0.0.1:{port};")
    servers = "".join(f"    server {url.split('://', 1)[1]};\n" for url in backends)
    site = re.sub(r"(upstream facilitation \{\n    ip_hash;\n)(?:    server [^\n]+\n)+", rf"\g<1>{servers}", site)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / sub).mkdir(exist_ok=True)
    conf = directory / "nginx.conf"
    conf.write_text(
        f"daemon off;\nworker_processes 1;\npid {directory}/nginx.pid;\nerror_log {directory}/error.log warn;\n"
        "events { worker_connections 8192; }\n"
        f"http {{\n access_log off;\n client_body_temp_path {directory}/body;\n proxy_temp_path {directory}/proxy;\n"
        f" fastcgi_temp_path {directory}/fastcgi;\n uwsgi_temp_path {directory}/uwsgi;\n"
        f" scgi_temp_path {directory}/scgi;\n{site}\n}}\n"
    )
    return conf, port


def check(directory: Path) -> dict:
    """``nginx -t`` on the published configuration (with two placeholder upstreams)."""
    nginx = binary()
    if nginx is None:
        return {"checked": False, "reason": "nginx is not installed"}
    conf, _ = write(directory, ["http://127.0.0.1:5001", "http://127.0.0.1:5002"])
    done = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(directory)], capture_output=True, text=True)
    return {"checked": True, "ok": done.returncode == 0, "output": done.stderr.strip()[-400:]}


class Proxy:
    """nginx in the foreground in front of ``backends``; ``url`` is where clients go."""

    def __init__(self, directory: Path, backends: list[str]):
        nginx = binary()
        if nginx is None:
            raise RuntimeError("nginx is not installed")
        conf, port = write(directory, backends)
        self.proc = subprocess.Popen(
            [nginx, "-c", str(conf), "-p", str(directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.url = f"http://127.0.0.1:{port}"
        try:
            wait_http(self.url + "/", self.proc)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        stop(self.proc)
