"""The domain's own facts and value types, with no dependency beyond the standard library.

Owns: the record and finding model (`model`), the errors every command may raise (`errors`),
JSON pointers (`pointers`, the only code that splits or escapes them), the vocabulary of the
2003 Convention and of the national inventory (`vocabulary`: every enum, id pattern and fixed
set, once; `tally`: the further vocabularies reports count by, and counting by them), what
may be or surely is a contact in free text (`contacts`, by the patterns of `contact_patterns`
and, for phone numbers, `phone_patterns`; `web_logins`: where a web address's user name and
password stand),
the rule catalogue (`catalogue`), dates (`dates`), writing systems (`alphabets`), the
characters no output prints as they are (`controls`: controls, line separators, bidirectional
controls, invisible characters, which `validate` refuses in texts too) and the
language of messages with its catalogues (`i18n`, reading ichinv/locale/). May import: the standard library only.
Everything else may import it.
"""
