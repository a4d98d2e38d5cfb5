"""Moved to :mod:`config.recognise`, which the web admin can import too; kept so existing imports keep working."""

from config.recognise import Recognised, Unrecognised, recognise_content, recognise_url

__all__ = ["Recognised", "Unrecognised", "recognise_content", "recognise_url"]
