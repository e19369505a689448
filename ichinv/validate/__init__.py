"""`ichinv validate`: every record against its schema, the record rules and the rules across
records.

Owns: the validation pipeline (`engine`) and where it reads files from (`sources`), the record rules and cross-record rules, the result
cache, findings that are new since a revision (`new_since`) and the check of the private
overlay. May import: `ichinv.core`, `ichinv.io`, `ichinv.schemas`, `ichinv.inventory`.
"""
