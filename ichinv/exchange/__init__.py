"""Elements to and from spreadsheets and other tools: export and import.

Owns: the table form of records (`table`), a row's cells read against its record
(`row_cells`), CSV and xlsx files (`spreadsheet`, openpyxl's only home), a committee JSON export read as a table (`json_export`), where the items of a JSON list
start (`json_positions`), the field form (`form_spec`, `xlsform`), submissions of
ODK/KoboToolbox (`odk*`) and the export/import use cases. May import: everything below it
(`core`, `io`, `schemas`, `inventory`, `validate`, `diff`).
"""
