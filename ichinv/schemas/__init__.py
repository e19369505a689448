"""The JSON Schemas of records: loading, compiling and explaining them.

Owns: reading `schema/*.schema.json`, checking them against the metaschema once, the compiled
validators (jsonschema's and fastjsonschema's only home), facts derived from the schemas'
annotations (keyed lists, personal-data fields, canonical key order) and schema errors in plain
language. May import: `ichinv.core`, `ichinv.io`.
"""
