"""The floor every app stands on: mechanisms shared by all, importing no app of the project.

Markdown to safe HTML, the PDF renderer and its fetcher, the sandbox both run in,
the public page cache, write limits, owner-scoped queries, front matter and text
normalisation. tests/test_layers.py keeps this package free of app imports.
"""
