"""The hub: the hall office's Flask service that terminals sync to and the office works in."""
import os

from flask import Flask

from protocol.config import config_to_dict, load_config
from protocol.wire import MAX_BODY_BYTES

from .clock import clock_from_environment
from .store import FUTURE_ALLOWANCE_S, Store
from .store.database import dialect_of, sqlite_path


def create_app(config=None):
    """Build the hub application.

    *config* may set ``DATABASE`` (a SQLite file, ``sqlite:///path`` or ``postgresql://…``), ``HALL_CONFIG``
    (hall.toml loaded when the database has no config yet), ``SECRET_KEY`` (default: one kept in the database), ``CLOCK`` (a callable
    returning an aware UTC datetime: the hub's time; default: the one ``HALLPOST_CLOCK`` names, see hub.clock)
    ``TRUSTED_PROXIES`` (how many reverse proxies in front set X-Forwarded-* headers; 0, the default,
    believes none) and ``FUTURE_ALLOWANCE_S`` (how far ahead of the hub's time a terminal's fact may be
    timed; later ones are refused).
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DATABASE=os.path.join(app.instance_path, "hall.sqlite"), HALL_CONFIG=None,
                            CLOCK=clock_from_environment(), MAX_CONTENT_LENGTH=MAX_BODY_BYTES, TRUSTED_PROXIES=0,
                            FUTURE_ALLOWANCE_S=FUTURE_ALLOWANCE_S)
    if config is not None:
        app.config.from_mapping(config)
    _prepare_database(app)

    from . import db, wall_events, web_security
    db.init_app(app)
    web_security.init_app(app)
    wall_events.init_app(app)
    from .api import bp as api_bp
    app.register_blueprint(api_bp)
    from .admin import bp as admin_bp
    app.register_blueprint(admin_bp)
    from .public import bp as public_bp
    app.register_blueprint(public_bp)
    return app


def _prepare_database(app):
    """Create and migrate the database; load HALL_CONFIG into an empty one; take the session secret."""
    if dialect_of(app.config["DATABASE"]) == "sqlite":
        directory = os.path.dirname(os.path.abspath(sqlite_path(app.config["DATABASE"])))
        os.makedirs(directory, mode=0o700, exist_ok=True)
    with Store.open(app.config["DATABASE"], clock=app.config["CLOCK"]) as store:
        if app.config["HALL_CONFIG"] and store.configs.current() is None:
            with open(app.config["HALL_CONFIG"], encoding="utf-8") as f:
                store.configs.save(config_to_dict(load_config(f.read())), "init")
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = store.settings.secret_key()
