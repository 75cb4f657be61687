"""parsers: turn raw notices (text, HTML, PDF, DOCX, listing pages) into the clause schema.

This package imports nothing from watcher, store or notifiers.
"""
