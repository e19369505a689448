"""The public website of the inventory (`ichinv site`): static HTML pages in Kazakh, Russian
and English, an offline search index, and the folder they are written to.

Every page is built from the public audience view of the records (ichinv.inventory.audience,
through `Inventory.views(Audience.PUBLIC)`, as public packets are): contacts and restricted
parts never reach a view model, so no template can print them. View models hold plain text;
the HTML templates (templates/site/, rendered by ichinv.render.html) escape everything they
print. May import every package below it, `ichinv.render` included; only `ichinv.cli` imports
it.
"""
