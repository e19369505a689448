"""HTML pages from view models: the sandboxed, autoescaping Jinja2 environment of `ichinv site`.

Templates receive view models built from public views only (ichinv.site); every text they
print is HTML-escaped unless it is markup a template itself produced. May import what
`ichinv.render` may import.
"""
