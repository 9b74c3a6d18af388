"""The portal's application core: `create_app()` builds a configured Flask application.

Web processes keep no state of their own (everything lives in the database, or in Redis for rate
limits), so a council can run as many of them as it likes behind a load balancer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from .config import INSTANCE_DIR, PROJECT_ROOT, finalise_config, load_config

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application from the environment, with `config` overriding it (tests, embedding)."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(load_config())
    if config:
        app.config.update(config)
    finalise_config(app.config)

    from . import assets, cli, db, errors, extensions, health, logs, passwords, routing, security, templating

    logs.init_app(app)
    passwords.init_app(app)
    routing.init_app(app)  # before any blueprint's routes are built
    db.init_app(app)
    extensions.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    cli.init_app(app)

    from admin import bp as admin_bp
    from citizen_portal import bp as citizen_bp

    app.register_blueprint(health.bp)
    app.register_blueprint(citizen_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    return app
