"""The HR console at ``/console/``: server-rendered pages over the service layer.

Jinja2 templates with autoescaping, one small script and one stylesheet, charts drawn as
SVG on the server: nothing is fetched from elsewhere, nothing needs Node to install, and every
page works with the script blocked. See docs/console.md.
"""
