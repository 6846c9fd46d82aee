"""The baseline: a bare python-socketio server doing only the transport work.

It serves a join page with a token and a form that sets a cookie (so the same
clients join it the same way), accepts a websocket connection carrying that
cookie, and for each action: inserts one row in SQLite (WAL, one commit),
acks with the row id as sequence, and emits ``results`` with that sequence
and the running counts to the room. No validation, no plugin. With ``--coalesce N`` it
pushes the running counts at most N times a second instead of once per vote, on a fixed
schedule, as ours does (the fair baseline for large rooms: per vote, 2,000 people get
2,000 pushes each).

    python -m bench.bare_server --port 5001 --db /tmp/bare.db --async-mode eventlet [--coalesce 4]
"""

from __future__ import annotations

import argparse
import socket
import sys


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--async-mode", default="eventlet", choices=("eventlet", "gevent", "threading"))
    parser.add_argument("--max-connections", type=int, default=4096)
    parser.add_argument("--coalesce", type=float, default=0, help="results pushes a second (0: one per vote)")
    return parser.parse_args(argv)


# Actions whose results everyone sees (a poll's answer, a question or its upvote); others are team edits.
ROOM_WIDE = ("answer", "vote", "ask")


def build(db_path: str, mode: str, coalesce: float = 0):
    import secrets
    import sqlite3
    import threading
    import time
    from urllib.parse import parse_qs

    import socketio

    sio = socketio.Server(async_mode=mode, cors_allowed_origins=None)
    lock = threading.Lock()
    cookies: dict[str, str] = {}  # participant cookie -> team
    counts: dict = {}
    teams: dict[str, str] = {}
    # One connection for every handler, as a server with a connection pool would reuse one.
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA busy_timeout = 5000")

    conn.execute("CREATE TABLE IF NOT EXISTS votes (id INTEGER PRIMARY KEY, sid TEXT, payload TEXT, at REAL)")
    pending: dict = {}  # the latest results not pushed yet (coalescing)
    started: list = []

    def pusher():
        interval = 1.0 / coalesce
        due = time.monotonic() + interval
        while True:
            sio.sleep(max(0.0, due - time.monotonic()))
            due += interval
            with lock:
                latest = dict(pending)
                pending.clear()
            if latest:
                sio.emit("results", latest, to="all")

    @sio.event
    def connect(sid, environ, auth):
        cookie = environ.get("HTTP_COOKIE", "")
        team = next((cookies[p.strip()] for p in cookie.split(";") if p.strip() in cookies), None)
        if team is None:
            raise socketio.exceptions.ConnectionRefusedError("join first")
        sio.enter_room(sid, "all")
        sio.enter_room(sid, team)
        with lock:
            teams[sid] = team
        sio.emit("snapshot", {"seq": 0}, to=sid)

    @sio.event
    def action(sid, message):
        value = str((message or {}).get("payload", {}).get("value", 0))
        with lock:
            conn.execute("BEGIN IMMEDIATE")
            seq = conn.execute(
                "INSERT INTO votes (sid, payload, at) VALUES (?, ?, ?)", [sid, str(value), time.time()]
            ).lastrowid
            conn.execute("COMMIT")
            snapshot = None
            if (message or {}).get("type") in ROOM_WIDE:
                counts[value] = counts.get(value, 0) + 1
                snapshot = dict(counts)
        if snapshot is not None and coalesce:
            with lock:
                pending.update({"seq": seq, "counts": snapshot})
            if not started:
                started.append(sio.start_background_task(pusher))
        elif snapshot is not None:
            sio.emit("results", {"seq": seq, "counts": snapshot}, to="all")
        else:  # a team edit: to the team only
            sio.emit("event", {"seq": seq, "data": message.get("payload")}, to=teams.get(sid))
        return {"ok": True, "seq": seq}

    def http(environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
        if path.startswith("/j/") and method == "GET":
            body = b'<form method="post"><input type="hidden" name="csrf_token" value="t"></form>'
            start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))])
            return [body]
        if path.startswith("/j/") and method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = parse_qs(environ["wsgi.input"].read(length).decode())
            cookie = f"fp_1={secrets.token_urlsafe(32)}"
            with lock:
                cookies[cookie] = "t" + form.get("network", [""])[0]
            start_response(
                "302 Found",
                [("Location", path), ("Set-Cookie", cookie + "; Path=/; HttpOnly"), ("Content-Length", "0")],
            )
            return [b""]
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]

    return socketio.WSGIApp(sio, http)


def serve(args) -> None:
    app = build(args.db, args.async_mode, args.coalesce)
    print(f"bare server on http://{args.host}:{args.port}/ ({args.async_mode})", file=sys.stderr, flush=True)
    # The same listening socket as `facilitation serve`: deep backlog, TCP_NODELAY.
    if args.async_mode == "threading":
        from werkzeug.serving import make_server

        server = make_server(args.host, args.port, app, threaded=True)
        tune(server.socket)
        server.serve_forever()
        return
    listener = tune(socket.create_server((args.host, args.port)))
    if args.async_mode == "eventlet":
        import eventlet.wsgi

        eventlet.wsgi.server(listener, app, log_output=False, max_size=args.max_connections)
    else:
        from gevent import pywsgi

        pywsgi.WSGIServer(listener, app, log=None).serve_forever()


def tune(sock):
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.listen(2048)
    return sock


if __name__ == "__main__":
    options = parse(sys.argv[1:])
    if options.async_mode == "eventlet":
        import eventlet

        eventlet.monkey_patch()
    elif options.async_mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    serve(options)
