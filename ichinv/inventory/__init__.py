"""The inventory as records: finding, reading and showing them to an audience.

Owns: discovering and reading record files (`record_files`), judging what else lies in their
folders (`folder_entries`) and the folders themselves (`record_folders`), a commit's record
files (`commit_files`), parsed records kept between runs by blob id (`record_cache`) with
each file's blob id by its signature (`blob_notes`), states of the inventory in the working
tree or at a commit (`snapshots`),
element ids (`ids`), the private overlay (`overlay`), the folders and files the inventory keeps,
which no command's output may go into or replace (`kept`), and THE audience view (`audience`): the
one place that decides what a public reader may see of a record (and `withheld_note`, the note it
puts where it withheld a value, and how such a note is told from a value; `contact_texts`, the
texts it withholds for the contact they hold; `withheld_words`, the words of a finding that may
not quote what it withholds; `changes_view`, its
decision applied to the changes between two versions, where the items of a list of one version
stand in another as `list_items` matches them: `positions`). May import: `ichinv.core`,
`ichinv.io`, `ichinv.schemas`.
"""
