"""store: immutable versions of normalized documents, and clause-level diffs between them.

Imports only the schema from parsers.
"""
