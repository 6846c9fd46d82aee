"""Production entry point: ``gunicorn -k eventlet -w 1 wsgi:app`` (see README.md, Production).

eventlet is patched here, before the app is imported, and nowhere else in the
app. Set FACILITATION_ASYNC_MODE=gevent (and a gevent worker) to use gevent.
"""

import os

os.environ.setdefault("FACILITATION_PRODUCTION", "true")
_mode = os.environ.setdefault("FACILITATION_ASYNC_MODE", "eventlet")
if _mode == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif _mode == "gevent":
    from gevent import monkey

    monkey.patch_all()

from facilitation import create_app, offload  # noqa: E402
from facilitation.live import quiet_gc, websocket  # noqa: E402

offload.install(_mode)  # password checks on a real thread, not on the event loop
app = create_app()
quiet_gc.start(app.extensions["socketio"])  # full collections when the live side is quiet
websocket.tune(_mode, app.config["SOCKET_MAX_MESSAGE"])  # fast unmasking, bounded messages
