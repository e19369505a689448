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

GAP_CHARACTER = (
    "[\\s().\\-/\u00b7\u2010-\u2015\u2212\u2219\u22c5\u2800\u30fb\uff08\uff09\uff0d\uff0e]"
)
PHONE_GAP = f"{GAP_CHARACTER}{{0,3}}"
"""What stands between the digits of a phone number as people write one: spaces (no-break and
thin ones too, and the braille blank), brackets, dots, middle dots, slashes and dashes
(`8 (700) 000-00-00`, `8/700/000/00/00`, `8·700·000·00·00`), up to three of them
(`GAP_CHARACTER`, one of them)."""

LOCAL_GAP = "[ \t\u00a0\u2007\u2009\u202f.\\-\u00b7\u2010-\u2015\u2212]"
"""What stands between the groups of a local number (`local`): one space (a no-break or thin one
too), dot or dash (`12-34-56`, `21 45 67`, `2.50.12`, `12–34–56`); not a line break, which ends a
text in the join of a record's texts."""


def local(digit: str, lead: str | None = None, size: int | None = None) -> str:
    """A local number grouped as phone numbers are, its last two groups of two digits: of five
    digits, one, two and two (`2-50-12`), of six, two, two and two (`12-34-56`, `21 45 67`), of
    seven, three, two and two (`250-12-34`) or one, two, two and two (`2-50-12-34`), each group
    apart from the next by one `LOCAL_GAP`; of `size` digits, or of any of these sizes.
    `digit` stands for each digit, `lead` for the first (`digit` when it is None; `""` where the
    pattern's first character has taken it). A figure grouped by thousands (`1 234 567`), a
    date (`12.03.2013`) or a year's span (`1997–2003`) is none of these."""
    first = digit if lead is None else lead
    last = rf"{LOCAL_GAP}{digit}{digit}{LOCAL_GAP}{digit}{digit}"
    head = {
        5: "",
        6: digit,
        7: rf"(?:{digit}{digit}|{LOCAL_GAP}{digit}{digit})",
        None: rf"(?:{digit}{{0,2}}|{LOCAL_GAP}{digit}{digit})",
    }[size]
    return f"{first}{head}{last}"


def comma_groups(digit: str) -> str:
    """The groups of a number of the `+7` zone after its `8` or `7`, commas between them, no
    space (`8,701,123,45,67`, `8,912,345,67,89`): a code whose first digit is 3 to 9, and three,
    two and two digits, no more. A figure grouped by thousands has no group of two
    (`8,701,123`), and a list of numbers has spaces after its commas (`8, 701, 123, 45, 67`), or
    other lengths."""
    return rf",[3-9]{digit}{digit},{digit}{{3}},{digit}{digit},{digit}{digit}(?!\w|[.,]\d)"


_DIGIT = r"\d"
PHONE_NUMBER = (
    rf"[{PLUS}]?[78]{comma_groups(_DIGIT)}|[{PLUS}]\s*\d(?:[\d{SEPARATORS}]*\d)?"
    rf"|\d[\d{SEPARATORS}]{{6,}}\d|{local(_DIGIT, size=5)}"
)
"""A `+` before digits, or eight digits or more, however spaced, dotted, slashed, dashed or
bracketed, or a local number of five digits (`2-50-12`: `local`), or a number with commas
between its groups (`8,701,123,45,67`: `comma_groups`)."""

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
    """`SURE_PHONE`, with `digit` for each digit after the first character its ways begin with
    (`\\d`, or a class that also holds `DIGIT_LETTERS`)."""
    ten = rf"{PHONE_GAP}7{digit}{digit}(?:{PHONE_GAP}{digit}){{7}}(?!\d)"
    each = rf"(?P<each>[\s\-./\u00b7\u2800])7(?:(?P=each){digit}){{9}}(?!\d)"
    no_sum = rf"(?!(?:{PHONE_GAP}\d){{0,13}}\s{{0,3}}(?:[.,]\d\d?\s{{0,3}})?{CURRENCY})"
    apart = f"{GAP_CHARACTER}{{1,3}}"
    grouped = rf"(?!\w|{LOCAL_GAP}\d)"
    closed = rf"\s{{0,2}}\){PHONE_GAP}"
    mobile = (
        rf"(?:(?:{MOBILE_CODE_END}|{AREA_CODE_END})(?P<gap>[ \u00a0-])\d{{3}}(?P=gap)\d\d(?P=gap)\d\d"
        rf"|{MOBILE_CODE_END}(?:(?P<gap4>[ \u00a0-]?)\d{{3}}(?P=gap4)\d{{4}}|(?P<gap7>[ \u00a0-])\d{{7}}))"
        r"(?![\w-]|[.,/]\d)"
    )
    return (
        # the first character of every way, which the engine skips to, standing apart from
        # any word before it (but a plus, which no word holds: `Aigul+77000000000`, `tel+7…`);
        # a look behind at it then tells the ways apart
        rf"[{PLUS}0-9(](?:(?<=[{PLUS}])|(?<!\w.))(?:"
        rf"(?<=[{PLUS}])(?<!\+.){PHONE_GAP}{digit}(?:{PHONE_GAP}{digit}){{9,13}}(?!\d){no_sum}"
        rf"|(?<=\()(?<!\+.)\s{{0,2}}(?:7{digit}{digit}\s{{0,2}}\)(?:{PHONE_GAP}{digit}){{7}}(?!\d)"
        rf"|[3-9]{_area_and_local(digit, closed)}{grouped})"
        rf"|(?<=[78])(?:(?<!\+.)(?:{ten}|{each})"
        rf"|(?<=7)(?<![+.,/-].)(?:{apart}[3-689]{_area_and_local(digit, apart)}{grouped}|{mobile})"
        rf"|(?<=8)(?<!\+.){PHONE_GAP}[3-689]{digit}{digit}(?:{PHONE_GAP}{digit}){{7}}(?!\d)"
        rf"|(?<![.,/-].){comma_groups(digit)})"
        rf"|(?<=0)(?:(?<!\+.)0{PHONE_GAP}7{ten}"
        rf"|(?<![+.,/-].)(?P<zeros>0{PHONE_GAP}(?=[1-9]{digit}{{0,2}}{GAP_CHARACTER})"
        rf"{digit}(?:{PHONE_GAP}{digit}){{9,13}}(?!\d){no_sum}))"
        rf"|(?<![+,/\-\u2010-\u2015].)(?P<local>{local(digit, lead='')}){grouped})"
    )


def _area_and_local(digit: str, close: str) -> str:
    """After the first digit of an area's code, the rest of it and the local number, ten digits
    in all, the code's end `close` (a bracket, a space, a dash): a code of three digits and a
    local number of seven (`495) 123-45-67`), four and six (`7172) 12-34-56`), or five and five
    (`71036) 2-12-34`), grouped as a local number is (`local`)."""
    return (
        rf"(?:{digit}{digit}{close}{local(digit, size=7)}|{digit}{{3}}{close}{local(digit, size=6)}"
        rf"|{digit}{{4}}{close}{local(digit, size=5)})"
    )


SURE_PHONE = _sure_phone(r"\d")
"""What surely is a phone number (read over ASCII digits): a `+` and ten to fourteen digits (not a
sum's, before a currency, `CURRENCY`: `+1 700 000 000 теңге`), or as many after a `00` written
for the `+`, the country's code apart from the rest (`0049 30 1234567`, `00 49 30 1234567`; the
way of `zeros`: not a sum's, nor unspaced, `0049301234567`, the leading zeros of an id, and
after a number sign none, `No. 0049 30 1234567`, as a mobile number with no `8` or `7` is); or
a number of Kazakhstan, ten digits of which the first is a `7`: as dialled there, after an `8`
(`8 (700) 000-00-00`; after an `8`, any number of the `+7` zone, Russia's too, `8 (495)
123-45-67`, `8 912 345 67 89`, and one with a four-digit area code, `8 3532 12-34-56`), after
the country's code with no `+` (`7 701 555 12 34`, `007 700 000 00 00`; and any number of the
`+7` zone whose code's first digit is 3 to 9 but 7, grouped as phone numbers are, the code
apart and the rest as a local number, `_area_and_local`: `7 912 345 67 89`, `7 (912)
345-67-89`, `7 3532 12-34-56`, where a figure grouped by thousands, `7 912 345 678`, is none),
with its first three in brackets (`(700) 000-00-00`; and any area's code of three to five digits
whose first is 3 to 9, in brackets, before a local number grouped as phone numbers are, ten
digits in all: `(7172) 12-34-56`, `(495) 123-45-67`, `(71036) 2-12-34`; not a year's brackets,
`(1997) 12-34-56`, nor a figure's, `(7172) 1 000 000`), with commas between its groups after its
`8` or `7` (`8,701,123,45,67`: `comma_groups`), or digit by digit after its `8` or `7`, each
apart from the next as the first is (`8 7 0 0 …`); with no `8` or `7` before it, a number whose
first three are a mobile operator's code (`MOBILE_CODE_END`) or a place's (`AREA_CODE_END`; a
shelf mark, `745 123 45 67`, is none) grouped as a phone number is, three, three, two and two
(`700 000 00 00`, `727 123 45 67`), or a mobile number grouped three, three and four (`701 123
4567`, `701-123-4567`), three and seven (`моб.: 701 1234567`) or unspaced (`7011234567`): the
way whose groups are `gap`, `gap4` and `gap7`, which ichinv.core.phone_numbers takes for no
number after a number sign (`№ 701 123 45 67`, `No.`, `инв.`), as it takes one after an `8` or
a `7` written with no space (`Order No. 87771234567`). And a local number of five to seven
digits grouped as phone numbers are (`local`: `12-34-56`, `2-50-12`, `21 45 67`), the way of
`local`, which ichinv.core.phone_numbers takes for a phone number only right after a word naming
a phone's line (`LINE_WORD`: `тел. 12-34-56`; alone it may be a date, `12-03-13`, a score or a
code). Its first digit stands apart from any word before it (years, `1997 2003 2013`; ids,
`KZ-2013-7701`). Eleven digits, no more, after an `8` or a `7`: a figure grouped by thousands
(`7 000 000`, `7 700 000 000`) has eleven only in groups of two and three (`77 000 000 000`),
and no group of two after its first. The first characters of every way are one class the
pattern begins with, which the engine skips to (an alternation of ways that begin with classes
is tried at every character: twice as slow); a look behind at it, that no letter or digit
stands before it, settles at once a digit inside a number or a word (most digits of a text:
every digit begins a local number's way), and others then tell the ways apart."""
PHONE_WITH_LETTERS = _sure_phone(rf"[\d{DIGIT_LETTERS}]")
"""`SURE_PHONE` with a letter of `DIGIT_LETTERS` where a digit may stand after the first character
a way begins with (`8 7O1 123 45 67`): what it finds is a phone number only where the
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
LINE_WORDS = (
    r"phone|telephone|tel|mob|mobile|fax|telefax|телефон\w{0,2}|тел|моб|мобильный|сотовый|ұялы"
    r"|факс|телефакс"
)
"""The words naming a phone's or a fax's line, in English, Russian and Kazakh (`tel.`, `Тел:`,
`телефон`, `моб.`, `ұялы тел.`, `байланыс тел.`, `факс`): a local number right after one is a
phone number (`LINE_WORD`)."""
LINE_WORD = rf"(?<![\w-])(?i:{LINE_WORDS})\.?[ \t\u00a0:]{{0,3}}\Z"
"""A word naming a phone's line (`LINE_WORDS`) right before a local number (`тел. 12-34-56`,
`дом. тел. 21-45-67`, `Тел.: 2-50-12`, `Тел/факс 21-45-67`, `phone 12-34-56`), or before a
number sign before it (`Тел. № 21-45-67`): a local number is a phone number only after one
(ichinv.core.phone_numbers; alone, `12-03-13` may be a date, a score or a code). Not a
messenger's name (`WhatsApp: 555-12-34`, whose numbers are mobile ones), nor `contact`,
`cell`, or `сот` (a court, in Kazakh)."""
PHONE_WORD = (
    rf"(?<![\w-])(?i:{LINE_WORDS}|cell|cellphone|contact|whatsapp|viber|сот|байланыс)"
    r"\.?[ \t\u00a0:]{0,3}\Z"
)
"""A word naming a phone right before a number sign (`Tel. No.`, `Phone No.`, `Contact No.`,
`Телефон №`, `Моб. №`, `Факс №`, `Тел/факс №`): the number after it is a phone number
(`NUMBER_SIGN`)."""
