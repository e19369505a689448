"""How phone numbers are written: the pieces of the patterns by which ichinv.core.contacts
tells what may be a phone number (hidden from what ichinv prints, `PHONE_NUMBER`) and
ichinv.core.phone_numbers what surely is one (warned of in a record's texts, `SURE_PHONE`).
Each is a pattern's text, bounded in what it repeats (linear time)."""

from __future__ import annotations

SEPARATORS = (
    "\\s().\\-/_~'\"*#=|\\[\\]\u00b7\u00ad\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
    "\u2018\u2019\u201c\u201d\u00ab\u00bb\u2024\u2027\u2044\u2219\u30fb"
    "\uff08\uff09\uff0e\uff3b\uff3d\u207a-\u207e\u208a-\u208e\u22c5\u2800"
)
"""What may stand between the digits of a phone number: spaces (no-break ones too, and the
braille blank, U+2800, which looks like one), brackets (full-width ones too), dots (middle
ones too), slashes, quotes, stars, and every dash and hyphen a word processor puts in
(`8–701–123–45–67`, U+2011's no-break hyphen, the minus sign). Not commas, colons or
semicolons: lists of years, times and coordinates are no phone numbers."""

PLUS = "+\uff0b\u207a\u208a"
"""A plus sign, also a full-width, superscript or subscript one."""

PHONE_NUMBER = rf"[{PLUS}]\s*\d(?:[\d{SEPARATORS}]*\d)?|\d[\d{SEPARATORS}]{{6,}}\d"
"""A `+` before digits, or eight digits or more, however spaced, dotted, slashed, dashed or
bracketed."""

PHONE_GAP = (
    "[\\s().\\-/\u00b7\u2010-\u2015\u2212\u2219\u22c5\u2800\u30fb\uff08\uff09\uff0d\uff0e]{0,3}"
)
"""What stands between the digits of a phone number as people write one: spaces (no-break and
thin ones too, and the braille blank), brackets, dots, middle dots, slashes and dashes
(`8 (700) 000-00-00`, `8/700/000/00/00`, `8·700·000·00·00`)."""

CURRENCY = (
    r"(?:[\u20b8$\u20ac\u20bd]|(?i:теңге\w{0,5}|тенге\w{0,5}|tenge|тг|kzt|руб\w{0,4}|rub|usd"
    r"|eur|евро|доллар\w{0,3}|сом\w{0,3}|сум\w{0,3}|млн|млрд|мың\w{0,4}|тыс|mln|bn|million"
    r"|billion|миллион\w{0,3}|миллиард\w{0,3})(?!\w))"
)
"""A currency's sign or name after a sum (`₸`, `$`, `€`, `₽`, `теңге` with a Kazakh case ending
too, `теңгеге`, `теңгеден`, `теңгені`, `тг`, `KZT`, `руб.`, `рублей`, `USD`, `сом`, `сомов`,
`сум`), or a word of thousands, millions or billions (`млн`, `млрд`, `мың`, `тыс.`, `million`):
a `+` and the digits of a sum before it (`+1 700 000 000 теңге`, `+1 700 000 000,50 ₸`, `+1 700
000 000 теңгеге артты`, `+1 700 млн`) are no phone number (`SURE_PHONE`)."""

MOBILE_CODE_END = r"(?:0\d|47|5[01]|6[0-4]|7[15-8])"
"""The last two digits of the code of a mobile operator of Kazakhstan, after its `7`: 700 to
709, 747, 750 and 751, 760 to 764, 771, 775 to 778, as far as we know."""

AREA_CODE_END = r"[12]\d"
"""The last two digits of a three-digit code of a place in Kazakhstan, after its `7`: 710 to 729
(Almaty's is 727: `727 123 45 67`), as far as we know; taken only grouped as a phone number is,
three, three, two and two."""

DIGIT_LETTERS = "Oo\u041e\u043elI\u0406"
"""Letters a phone number may be written with for a digit, in a word of digits (`8 7O1 123 45
67`, `8 (70l) …`): Latin and Cyrillic `O`, `o` for `0`, and `l`, `I`, Cyrillic `І` for `1`."""


def _sure_phone(digit: str) -> str:
    """`SURE_PHONE`, with `digit` for each digit after the `+`, `8`, `7`, `007` or bracket its
    ways begin with (`\\d`, or a class that also holds `DIGIT_LETTERS`)."""
    ten = rf"{PHONE_GAP}7{digit}{digit}(?:{PHONE_GAP}{digit}){{7}}(?!\d)"
    each = rf"(?P<each>[\s\-./\u00b7\u2800])7(?:(?P=each){digit}){{9}}(?!\d)"
    return (
        rf"[{PLUS}780(](?:"  # the first character of every way, which the engine skips to
        rf"(?<=[{PLUS}])(?<![\w+].){PHONE_GAP}{digit}(?:{PHONE_GAP}{digit}){{9,13}}(?!\d)"
        rf"(?!(?:{PHONE_GAP}\d){{0,13}}\s{{0,3}}(?:[.,]\d\d?\s{{0,3}})?{CURRENCY})"
        rf"|(?<=[78])(?<![\w+].)(?:{ten}|{each})|(?<=0)(?<![\w+].)0{PHONE_GAP}7{ten}"
        rf"|(?<=8)(?<![\w+].){PHONE_GAP}[3-689]{digit}{digit}(?:{PHONE_GAP}{digit}){{7}}(?!\d)"
        rf"|(?<=\()(?<![\w+].)\s{{0,2}}7{digit}{digit}\s{{0,2}}\)(?:{PHONE_GAP}{digit}){{7}}(?!\d)"
        rf"|(?<=7)(?<![\w+.,/-].)(?:(?:{MOBILE_CODE_END}|{AREA_CODE_END})"
        r"(?P<gap>[ \u00a0-])\d{3}(?P=gap)\d\d(?P=gap)\d\d"
        rf"|{MOBILE_CODE_END}(?:(?P<gap4>[ \u00a0-]?)\d{{3}}(?P=gap4)\d{{4}}|(?P<gap7>[ \u00a0-])\d{{7}}))"
        r"(?![\w-]|[.,/]\d))"
    )


SURE_PHONE = _sure_phone(r"\d")
"""What surely is a phone number (read over ASCII digits): a `+` and ten to fourteen digits (not a
sum's, before a currency, `CURRENCY`: `+1 700 000 000 теңге`), or a number of Kazakhstan, ten
digits of which the first is a `7`: as dialled there, after an `8` (`8 (700) 000-00-00`; after an
`8`, any number of the `+7` zone, Russia's too, `8 (495) 123-45-67`, `8 912 345 67 89`, and one
with a four-digit area code, `8 3532 12-34-56`), after
the country's code with no `+` (`7 701 555 12 34`, `007 700 000 00 00`), with its first three in
brackets (`(700) 000-00-00`), or digit by digit after its `8` or `7`, each apart from the next
as the first is (`8 7 0 0 …`); with no `8` or `7` before it, a number whose first three are a
mobile operator's code (`MOBILE_CODE_END`) or a place's (`AREA_CODE_END`; a shelf mark, `745
123 45 67`, is none) grouped as a phone number is, three, three, two and two (`700 000 00 00`,
`727 123 45 67`), or a mobile number grouped three, three and four (`701 123 4567`,
`701-123-4567`), three and seven (`моб.: 701 1234567`) or unspaced (`7011234567`): the way
whose groups are `gap`, `gap4` and `gap7`, which ichinv.core.phone_numbers takes for no number
after a number sign (`№ 701 123 45 67`, `No.`, `инв.`), as it takes one after an `8` or a `7`
written with no space (`Order No. 87771234567`). Its first digit stands apart from any word before it (years, `1997 2003
2013`; ids, `KZ-2013-7701`). Eleven digits, no more: a figure grouped by thousands (`7 000 000`,
`7 700 000 000`) has eleven only in groups of two and three (`77 000 000 000`). The first
characters of every way are one class the pattern begins with, which the engine skips to (an
alternation of ways that begin with classes is tried at every character: twice as slow); a look
behind then tells the ways apart."""
PHONE_WITH_LETTERS = _sure_phone(rf"[\d{DIGIT_LETTERS}]")
"""`SURE_PHONE` with a letter of `DIGIT_LETTERS` where a digit may stand after the `+`, `8`, `7`
or bracket a way begins with (`8 7O1 123 45 67`): what it finds is a phone number only where the
words of its letters hold digits and its letters are few (ichinv.core.phone_numbers). Wherever
`SURE_PHONE` finds a number, this finds one at that place or before: one search for both."""

NUMBER_SIGN = (
    r"(?:№|(?<![\w-])(?i:(?:no|inv|инв|арх|cat)\.|(?:inv|cat)\.?[ \t\u00a0]{0,3}no\.?"
    r"|isbn(?:-1[03])?|шифр|(?:catalogue|catalog|inventory|accession)[ \t\u00a0]{1,3}"
    r"(?:number|no\.?)))[ \t\u00a0:]{0,3}\Z"
)
"""A number sign or a word naming a number right before it (`Инв. № 701 123 45 67`, `No.
7011234567`, `инв. 701-123-4567`, `Inv. No 7011234567`, `Cat. No`, `Catalogue number`, `ISBN
7040123456`, `Шифр 7011234567`, `Арх. 7011234567`): an inventory's, a shelf's, a file's or a
book's number, no phone number (read within 24 characters before it), unless a word naming a
phone stands before it (`PHONE_WORD`). Not across a line break: each of a record's texts is
judged as itself, also in their join."""
PHONE_WORD = (
    r"(?<![\w-])(?i:phone|telephone|tel|mob|mobile|cell|cellphone|contact|whatsapp|viber|fax"
    r"|telefax|телефон\w{0,2}|тел|моб|мобильный|сот|сотовый|ұялы|байланыс|факс|телефакс)"
    r"\.?[ \t\u00a0:]{0,3}\Z"
)
"""A word naming a phone right before a number sign (`Tel. No.`, `Phone No.`, `Contact No.`,
`Телефон №`, `Моб. №`, `Факс №`, `Тел/факс №`): the number after it is a phone number
(`NUMBER_SIGN`)."""
