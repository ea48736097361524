"""Outputs made from a loaded dataset without Sphinx: JSON, TimelineJS, JSON-LD, figures."""
