"""The documentation of the record schemas in English, Kazakh and Russian (`ichinv schema-docs`),
and where findings link to it.

May import: everything below it (`core`, `io`, `schemas`, `inventory`, `validate`, `diff`).
"""
