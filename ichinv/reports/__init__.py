"""Figures about the inventory: progress of the revision, the periodic report to UNESCO.

May import: everything below it (`core`, `io`, `schemas`, `inventory`, `validate`, `diff`).
"""
