"""Widgets: views of the Qt adapters; they hold no race logic."""
