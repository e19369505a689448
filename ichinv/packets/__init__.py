"""Review packets (`ichinv packet`): one builder, one module per kind of packet.

Every packet is built from the audience view of the records (`ichinv.inventory.audience`)
and turned into escaped Markdown pieces before a template sees them. May import: every
package below it, `ichinv.render` included.
"""
