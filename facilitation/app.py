"""The application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader

from . import config, db, errors, i18n, plugins, rendering, security, urls
from .live import fanout, inbound
from .live.engine import Engine
from .live.sockets import LiveNamespace

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_relative_config=True)
    config.load(app, test_config)
    urls.init_app(app)

    broken: list = []
    pm = plugins.get_plugin_manager(app.config["PLUGINS"], broken)
    pm.register(rendering, "facilitation.rendering")
    registry = plugins.Registry(pm, broken)
    app.extensions["facilitation.registry"] = registry
    # Each exercise's templates folder, after the core's (a plugin cannot shadow a core template).
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(ROOT / "templates")),
                                     *(FileSystemLoader(str(f)) for f in registry.template_folders())])

    db.init_app(app)
    i18n.init_app(app)
    CSRFProtect(app)
    security.init_app(app)
    errors.init_app(app)

    socketio = SocketIO(
        app,
        async_mode=app.config["ASYNC_MODE"],
        client_manager=fanout.client_manager(app.config["MESSAGE_QUEUE"]),
        max_http_buffer_size=app.config["SOCKET_MAX_MESSAGE"],
        cors_allowed_origins=app.config.get("SOCKET_ORIGINS") or None,
        manage_session=False,
    )
    inbound.install(app, socketio.server)  # every inbound frame counted and checked before any handler
    if app.config["TRUSTED_PROXIES"]:
        # Outside the Socket.IO middleware, so live connections see the client's address too.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    engine = Engine(app, socketio, registry)
    app.extensions["facilitation.engine"] = engine
    socketio.on_namespace(LiveNamespace(engine))

    from .views import (
        admin,
        agendas,
        api_v1,
        archive,
        auth,
        console,
        exercises,
        journey,
        network,
        participant,
        people,
        reports,
        tokens,
    )

    for module in (auth, admin, agendas, console, participant, archive, network, journey, people, exercises, reports,
                   tokens):
        app.register_blueprint(module.bp)
    api_v1.init_app(app)
    if not app.config["PRODUCTION"]:
        from .views import dev

        app.register_blueprint(dev.bp)
    for batch in pm.hook.register_blueprints():
        for blueprint in batch or ():
            app.register_blueprint(blueprint)

    from . import commands

    commands.init_app(app)
    return app


def socketio_of(app) -> SocketIO:
    return app.extensions["socketio"]
