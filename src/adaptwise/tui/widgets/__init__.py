"""Widgets and small display helpers shared by the screens."""
