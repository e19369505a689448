"""Markdown that GitHub renders safely: escaping record text, the translated labels of packets,
the sections of an element, and the Jinja2 templates (Jinja2's only home).
"""
