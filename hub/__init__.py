"""The hub: the hall office's Flask service that terminals sync to and the office works in."""
import importlib.util
import os

from flask import Flask

from protocol.config import config_to_dict, load_config
from protocol.wire import MAX_BODY_BYTES

from .store import FUTURE_ALLOWANCE_S, Store, utc_now


def create_app(config=None):
    """Build the hub application.

    *config* may set ``DATABASE`` (SQLite file), ``HALL_CONFIG`` (hall.toml loaded when the database
    has no config yet), ``SECRET_KEY`` (default: one kept in the database) and ``CLOCK`` (a callable
    returning an aware UTC datetime: the hub's time) and ``FUTURE_ALLOWANCE_S`` (how far ahead of that
    time a terminal's fact may be timed; later ones are refused).
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DATABASE=os.path.join(app.instance_path, "hall.sqlite"), HALL_CONFIG=None,
                            CLOCK=utc_now, MAX_CONTENT_LENGTH=MAX_BODY_BYTES, FUTURE_ALLOWANCE_S=FUTURE_ALLOWANCE_S)
    if config is not None:
        app.config.from_mapping(config)
    _prepare_database(app)

    from . import db
    db.init_app(app)
    from .api import bp as api_bp
    app.register_blueprint(api_bp)
    if importlib.util.find_spec("hub.admin") is not None:
        from .admin import bp as admin_bp
        app.register_blueprint(admin_bp)
    return app


def _prepare_database(app):
    """Create and migrate the database; load HALL_CONFIG into an empty one; take the session secret."""
    directory = os.path.dirname(os.path.abspath(app.config["DATABASE"]))
    os.makedirs(directory, exist_ok=True)
    with Store.open(app.config["DATABASE"], clock=app.config["CLOCK"]) as store:
        if app.config["HALL_CONFIG"] and store.current_config() is None:
            with open(app.config["HALL_CONFIG"], encoding="utf-8") as f:
                store.save_config(config_to_dict(load_config(f.read())), "init")
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = store.secret_key()
