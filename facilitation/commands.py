"""The click commands of ``facilitation``: migrate, create-facilitator, seed-demo, plugins, serve,
backup, restore, purge, build-reports."""

from __future__ import annotations

import socket

import click
from flask.cli import FlaskGroup, with_appcontext

SERVE_MODES = ("eventlet", "gevent", "threading")
LISTEN_BACKLOG = 2048  # the kernel caps it at net.core.somaxconn


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def cli():
    """Live co-design workshops for territorial networks."""


def init_app(app) -> None:
    for command in (create_facilitator, seed_demo, plugins_command, serve, backup_command, restore_command,
                    purge_command, build_reports):
        app.cli.add_command(command)


@click.command("create-facilitator")
@with_appcontext
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_facilitator(email, name, password):
    """Create a facilitator account."""
    from flask import current_app

    from .auth import create_facilitator as create
    from .db import borrowed, migrate, transaction

    with borrowed(current_app) as db:
        migrate(db, current_app.extensions["facilitation.registry"])
        try:
            with transaction(db):
                create(db, email, name, password)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        except Exception as exc:  # unique email
            raise click.ClickException(f"could not create the account: {exc}") from None
    click.echo(f"facilitator {email} created")


@click.command("seed-demo")
@with_appcontext
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True)
@click.option("--history", default=0, show_default=True, help="Also a past lab of this many held meetings.")
def seed_demo(base_url, history):
    """Create a demo lab with networks and a meeting of polls (once), and print how to use it."""
    from flask import current_app

    from .demo import print_seed, seed, seed_history

    info = seed(current_app)
    if history:
        seed_history(current_app, meetings=history)
    print_seed(info, base_url.rstrip("/"))


@click.command("build-reports")
@with_appcontext
def build_reports():
    """Build the queued report PDFs, one at a time, then exit (started by the server)."""
    from flask import current_app

    from .reports import jobs

    click.echo(f"{jobs.work(current_app)} report(s) built")


@click.command("plugins")
@with_appcontext
def plugins_command():
    """List installed plugins and the exercises they provide."""
    from flask import current_app

    reg = current_app.extensions["facilitation.registry"]
    for name, module in reg.plugin_names():
        click.echo(f"{name}\t{module}")
    for type_name, exercise in sorted(reg.exercises.items()):
        click.echo(f"  exercise {type_name}: {exercise.title} ({type(exercise).__module__})")
    for problem in reg.broken:
        click.echo(f"{problem.plugin}\tBROKEN, left out: {problem.message}")


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--async-mode", type=click.Choice(SERVE_MODES), default=None,
              help="Server library (default: FACILITATION_ASYNC_MODE or eventlet).")
@click.option("--max-connections", default=4096, show_default=True, type=int)
def serve(host, port, async_mode, max_connections):
    """Serve the app (Socket.IO included) on HOST:PORT."""
    from flask import current_app

    from .db import borrowed, migrate
    from .store import close_all_attendance

    app = current_app._get_current_object()
    socketio = app.extensions["socketio"]
    with borrowed(app) as db:
        migrate(db, app.extensions["facilitation.registry"])
        if not app.config["MESSAGE_QUEUE"]:
            # A single process: nobody is connected before it starts.
            close_all_attendance(db)
    _raise_open_files(max_connections)
    click.echo(f"facilitation serving on http://{host}:{port}/ ({socketio.async_mode})", err=True)
    from .backup import serving_lock

    with serving_lock(app.config["DATABASE"]):
        _serve(app, socketio.async_mode, host, port, max_connections)


def _serve(app, mode, host, port, max_connections):
    from .live import quiet_gc, websocket

    quiet_gc.start(app.extensions["socketio"])
    websocket.tune(mode, app.config["SOCKET_MAX_MESSAGE"])  # fast unmasking, bounded messages (live/websocket.py)
    # Every mode listens on a socket made here: a backlog deep enough for a room joining at once
    # (eventlet's default is 50), and TCP_NODELAY, inherited by every accepted connection, so a
    # small ack written right after a push is not held back by Nagle's algorithm for 40 ms.
    if mode == "threading":
        import logging

        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        # app.run() refuses to start from within a click command: run Werkzeug's threaded server directly.
        server = make_server(host, port, app, threaded=True)
        _tune(server.socket)
        server.serve_forever()
        return
    listener = _tune(socket.create_server((host, port)))
    if mode == "eventlet":
        import eventlet.wsgi

        listener = websocket.guard(app, listener)  # a flooding address's retries closed at accept
        eventlet.wsgi.server(listener, app, max_size=max_connections, log_output=False)
    else:
        from gevent import pywsgi

        pywsgi.WSGIServer(listener, app, log=None).serve_forever()


def _tune(sock):
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.listen(LISTEN_BACKLOG)
    return sock


def _raise_open_files(connections: int) -> None:
    """Every connection is a file descriptor: lift the soft limit towards the hard one."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        if target < wanted:
            click.echo(f"warning: at most {target} open files (hard limit): raise `ulimit -Hn` for "
                       f"{connections} connections", err=True)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--overwrite", is_flag=True, help="Replace PATH if it exists.")
def backup_command(path, overwrite):
    """Copy the database to PATH, consistently, even while meetings run."""
    from flask import current_app

    from .backup import BackupError, backup

    try:
        figures = backup(current_app.config["DATABASE"], path, overwrite=overwrite)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backup written to {path}: " + ", ".join(f"{v} {k}" for k, v in figures.items()))


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Restore even if a server seems to be using the database.")
def restore_command(path, force):
    """Replace the database with the backup at PATH (stop the server first)."""
    from flask import current_app

    from .backup import BackupError, restore

    try:
        figures = restore(path, current_app.config["DATABASE"], force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"restored from {path}: " + ", ".join(f"{v} {k}" for k, v in figures.items()))


@click.command("purge")
@click.option("--days", type=float, default=None, help="Override RETENTION_DAYS.")
def purge_command(days):
    """Pseudonymise participants of meetings older than RETENTION_DAYS."""
    from flask import current_app

    from .db import get_db, transaction
    from .privacy import purge
    from .throttle import forget_expired

    days = current_app.config["RETENTION_DAYS"] if days is None else days
    # The command's own connection: plugins erasing their data work in the same transaction.
    db = get_db()
    with transaction(db):
        count = purge(db, float(days))
        forget_expired(db)
    click.echo(f"{count} participants pseudonymised (meetings older than {days:g} days)")
