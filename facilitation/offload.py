"""Work that holds a core for a long time runs on a real OS thread.

Checking a password hash takes a few hundred milliseconds of CPU by design.
Under eventlet or gevent every connection of the process shares one OS
thread, so a facilitator logging in would stop a meeting of 2,000 people for
that long. The serving entry points (``facilitation serve`` and ``wsgi.py``),
the only places that know the async server, install a runner that hands the
call to a real thread (the hashing releases the GIL) and waits cooperatively;
everywhere else (threads, tests, commands) the call is made directly.
"""

from __future__ import annotations

from collections.abc import Callable

_runner: Callable | None = None


def call(fn: Callable, *args):
    """``fn(*args)``, off the event loop when the server has one."""
    return fn(*args) if _runner is None else _runner(fn, *args)


def install(mode: str) -> None:
    """Called by a serving entry point after monkey-patching for ``mode``."""
    global _runner
    if mode == "eventlet":
        from eventlet import tpool

        _runner = tpool.execute
    elif mode == "gevent":
        _runner = _in_gevent_threadpool


def _in_gevent_threadpool(fn: Callable, *args):
    import gevent

    return gevent.get_hub().threadpool.apply(fn, args)
