"""The click commands of ``facilitation``: migrate, create-facilitator, seed-demo, plugins, serve,
backup, restore, purge."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup, with_appcontext

SERVE_MODES = ("eventlet", "gevent", "threading")


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def cli():
    """Live co-design workshops for territorial networks."""


def init_app(app) -> None:
    for command in (create_facilitator, seed_demo, plugins_command, serve, backup_command, restore_command,
                    purge_command):
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
def seed_demo(base_url):
    """Create a demo lab with networks and a meeting of polls (once), and print how to use it."""
    from flask import current_app

    from .demo import print_seed, seed

    print_seed(seed(current_app), base_url.rstrip("/"))


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
    click.echo(f"facilitation serving on http://{host}:{port}/ ({socketio.async_mode})", err=True)
    kwargs = {"allow_unsafe_werkzeug": True} if socketio.async_mode == "threading" else {}
    if socketio.async_mode == "eventlet":
        kwargs["max_size"] = max_connections
    from .backup import serving_lock

    with serving_lock(app.config["DATABASE"]):
        socketio.run(app, host=host, port=port, use_reloader=False, log_output=False, **kwargs)


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

    from .db import borrowed, transaction
    from .privacy import purge

    days = current_app.config["RETENTION_DAYS"] if days is None else days
    with borrowed(current_app) as db, transaction(db):
        count = purge(db, float(days))
    click.echo(f"{count} participants pseudonymised (meetings older than {days:g} days)")
