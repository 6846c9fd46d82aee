"""The ``facilitation`` command's entry point.

``serve`` is the only place (besides wsgi.py) that chooses an async server:
it monkey-patches here, before Flask is imported; the rest of the app runs
unchanged under eventlet, gevent or threads.
"""

import os
import sys


def _patch_for_serving(argv: list[str]) -> None:
    """Monkey-patch before anything else is imported, and only to serve."""
    if len(argv) < 2 or argv[1] != "serve":
        return
    mode = os.environ.get("FACILITATION_ASYNC_MODE", "eventlet")
    for i, arg in enumerate(argv):
        if arg == "--async-mode" and i + 1 < len(argv):
            mode = argv[i + 1]
        elif arg.startswith("--async-mode="):
            mode = arg.split("=", 1)[1]
    os.environ["FACILITATION_ASYNC_MODE"] = mode
    if mode == "eventlet":
        import warnings

        # Chosen on purpose for the default server (see docs/deployment.md); gevent and threads also work.
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
        import eventlet

        eventlet.monkey_patch()
    elif mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    from . import offload

    offload.install(mode)


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    _patch_for_serving(argv)
    from .commands import cli

    cli.main(args=argv[1:], prog_name="facilitation")


if __name__ == "__main__":
    main()
