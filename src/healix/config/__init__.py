"""Configuration: one Settings class, the only place that reads the environment."""

from healix.config.settings import Environment, LogFormat, Settings, get_settings

__all__ = ["Environment", "LogFormat", "Settings", "current_settings", "get_settings"]


def current_settings() -> Settings:
    """The settings of the running app (the ones create_app() was given)."""
    from flask import current_app

    settings: Settings = current_app.extensions["healix_settings"]
    return settings
