"""Elements to and from spreadsheets and other tools: export and import.

Owns: the table form of records (`table`), CSV and xlsx files (`spreadsheet`, openpyxl's only
home) and the export/import use cases. May import: everything below it (`core`, `io`,
`schemas`, `inventory`, `validate`, `diff`).
"""
