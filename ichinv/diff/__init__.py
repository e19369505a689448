"""Comparing states of the inventory: field by field, element by element, commit by commit.

Owns: the pure field diff (`fields`, matching list items as ichinv.inventory.list_items says;
where a part of one version lies in another: ichinv.inventory.positions), the element diff
engine and the comparison with a baseline (`engine`), the changes between two blobs kept
between runs (`change_cache`), and an element's history (`history`, through what each commit
changed in elements/: `history_paths`). May import: `ichinv.core`, `ichinv.io`,
`ichinv.schemas`, `ichinv.inventory`.
"""
