"""Rendering: a Plan → Markdown through sandboxed Jinja2 templates → HTML, Word and PDF."""
