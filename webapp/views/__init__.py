"""Blueprints of the portal."""
