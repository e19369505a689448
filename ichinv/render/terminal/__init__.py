"""Rich views for the terminal: tables, bars and the element view of `ichinv show`."""
