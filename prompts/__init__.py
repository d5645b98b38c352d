"""Prompt templates (Jinja2). Data, not code: read only through summariser.prompt."""
