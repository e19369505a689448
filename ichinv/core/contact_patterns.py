"""How contacts are written: the pieces of the patterns by which ichinv.core.contacts tells
what may be a contact (hidden from what ichinv prints) and what surely is one (warned of in a
record's texts); those of phone numbers are ichinv.core.phone_patterns. Each is a pattern's
text, bounded in what it repeats (linear time)."""

from __future__ import annotations

OPENING = "[(\\[{<\uff08\uff3b\u00ab\u27e8\u3010]"
CLOSING = "[)\\]}>\uff09\uff3d\u00bb\u27e9\u3011]"
"""Brackets a word is spelt out in (`(at)`, `[dot]`, `«at»`, `【at】`, full-width ones)."""

SPELT_DOT = rf"{OPENING}\s*(?:\.|(?i:dot|точка))\s*{CLOSING}"
"""A dot spelt out, or put, in brackets (`(dot)`, `[точка]`, `[.]`)."""

MAIL_PROVIDERS = (
    r"(?:gmail|googlemail|yahoo|outlook|hotmail|gmx|mail|yandex|inbox|list|bk|icloud|proton"
    r"|protonmail|rambler|ukr)"
)
"""The names of hosts of personal mail people in the region write to (Google's, Yahoo's,
Microsoft's, GMX's, Mail.ru's `mail`, `inbox`, `list` and `bk`, Yandex's, Apple's, Proton's,
Rambler's, ukr.net's): after ` at ` an address's host, whatever its top-level domain (`aigul at
gmx.at`, `aigul.k at yahoo.co.jp`)."""

AT_WORDS = "собака|собачка|sobaka|sobachka"
"""The Russian word people say for `@` (`собака`, a dog, or `собачка`), also in Latin letters
(`sobaka`): an address's `@` spelt out (`aigul sobaka mail.ru`, `aigul(собака)mail.ru`)."""

AT_SIGN = (
    r"[@\uff20\ufe6b]|%40(?=\w)|&(?:#0*+64|#[xX]0*+40|commat);"
    rf"|{OPENING}\s*(?i:[aа\uff41\uff21][tт\uff54\uff34]|{AT_WORDS}|айқұлақ)\s*{CLOSING}"
    rf"(?=\s{{0,4}}(?:[^\s@]{{0,64}}?(?:\.|\s{{0,4}}{SPELT_DOT}\s{{0,4}})[^\W\d_]"
    rf"|(?i:{MAIL_PROVIDERS})(?![\w-])))"
)
"""An `@`, also a full-width or small one, one URL-encoded (`%40`) or written as an HTML
character reference (`&#64;`, `&#x40;`, `&commat;`, with any zeros: `&#00000000064;`), or
one spelt out in brackets before a part with a dot and a letter after it (`ivan(at)example.org`,
`[at]`, `(собака)`, `«at»`, `(ａｔ)`, `ivan (at) mail (dot) ru`, `ivan[at]mail[.]ru`), or before
the name of a host of personal mail (`aigul(at)gmail`, `aigul (собака) mail`, `MAIL_PROVIDERS`):
`Тазы (собака) — борзая`, `Austria (AT) and`, `Austria (AT) 1.5%` and `(ат) 2.5 km` are no
addresses."""

WORD = r"[\w-]{1,64}"
DOT = r"(?:\.|\s{1,4}(?:dot|точка)\s{1,4})"
DOMAIN_END = (
    r"(?:com|org|net|edu|gov|int|info|biz|io|me|eu|ru|su|kz|uz|kg|tj|tm|by|ua|az|am|ge|mn|cn"
    r"|tr|de|uk|fr)"
)
"""The top-level domains an address written out in words ends with (those of the region's
mail, and the generic ones): `at a dot on the felt` and `at nine dot five` are no address."""
SPELT_AT = rf"(?i:[aа][tт]|{AT_WORDS})"
"""` at ` of an address written out, in Latin or Cyrillic letters (`ат`), or in Russian
(`AT_WORDS`)."""
SPELT_HOST = (
    rf"(?:{MAIL_PROVIDERS}(?:{DOT}[a-z]{{2,6}}){{1,2}}|(?:{WORD}{DOT}){{1,8}}{DOMAIN_END})"
    r"(?![\w-])"
)
"""The host of an address written out (read ignoring case): a host of personal mail
(`MAIL_PROVIDERS`) and one or two parts of any top-level domain (`gmx.at`, `yahoo.co.jp`,
`gmail.com.br`), or words joined by dots, written or spelt out, ending in a top-level domain
(`gmail dot com`, `mail.ru`)."""
BARE_PROVIDERS = r"(?:gmail|googlemail|hotmail|yahoo|yandex|icloud|protonmail|rambler|gmx)"
"""Hosts of personal mail an address written out may name alone, with no top-level domain
(`aigul.kenzhe at gmail`, `aigul sobaka gmail`): those of `MAIL_PROVIDERS` that are no word of
prose (`mail`, `list`, `inbox` are)."""
SPELT_ADDRESS = (
    rf"(?i:(?<![\w-])(?:{WORD}{DOT}){{0,8}}{WORD}(?:\s{{1,4}}{SPELT_AT}\s{{1,4}}|-at-)"
    rf"(?:{SPELT_HOST}|{BARE_PROVIDERS}(?![\w-])))"
)
"""An address written with ` at ` (`aigul dot n at gmail dot com`, `aigul_n at gmail.com`; in
Russian ` собака `, `точка`: `aigul собака mail.ru`; `ат` in Cyrillic letters; any white space
around it, `aigul\u00a0at\u00a0gmail.com`; `aigul-at-gmail.com`), as log and messages hide it
(validate warns of fewer: ichinv.core.written_addresses._ODD_SPELT_AT): words joined by dots,
written or spelt out (the first may follow a dot: `...aigul at mail.ru`), ` at `, and a host
(`SPELT_HOST`, or a host of personal mail alone, `BARE_PROVIDERS`: `aigul.k at gmail`; each
part bounded: linear time)."""

HOST_DOT = rf"(?:\.|{SPELT_DOT})"
"""The dot of a host's name, also put or spelt out in brackets, as an address is written to
keep it from being a link (`instagram[.]com`, `vk(dot)com`)."""

HOST_END = r"\.?(?::\d{1,5})?/"
"""Where a host's name ends and its path begins: a slash, after the dot that may end the name
(`t.me./aigul_k`, `vk.com./aigul_k`: a browser reads the same host) and a port (`t.me:443/…`)."""

ME_HOST = rf"{HOST_DOT}me{HOST_END}"
"""The end of a messenger's host, `.me/`, its dot also put or spelt out in brackets (`t[.]me/`,
`t(dot)me/`), a dot or a port after it (`HOST_END`: `t.me./`, `t.me:443/`)."""

PROFILE_SITES = (
    r"vk\.com|vk\.ru|vkontakte\.ru|instagram\.com|instagr\.am|facebook\.com|fb\.com|ok\.ru"
    r"|odnoklassniki\.ru|x\.com|twitter\.com|linkedin\.com|dzen\.ru"
).replace("\\.", HOST_DOT)
"""Social networks whose addresses name a person's page (`vk.com/aigul_kenzhe`, `vk.ru/…`,
`x.com/aigul_k`, `linkedin.com/in/aigul-kenzhe`, Dzen's `dzen.ru/aigul_k`), their dots also in
brackets (`HOST_DOT`: `instagram[.]com/aigul_k`)."""

SITE_HOSTS = r"(?:www|m|mobile|web|mbasic|touch)"
"""The names of a social network's own hosts before its domain (`www.`, `m.`, `mobile.`, and
Facebook's `web.`, `mbasic.`, `touch.`: `web.facebook.com/aigul.kenzhe`)."""
SITE_PREFIX = rf"(?:(?<![\w.])(?:{SITE_HOSTS}\.)?|(?<=(?<![\w.])[a-z]{{2}}\.))"
"""What stands before a social network's host: nothing that makes it another host's end,
or one of its own hosts' names (`SITE_HOSTS`), or a country's two letters (`kz.linkedin.com`)."""
MAIL_PAGE = r"(?i:(?:mail|bk|list|inbox|internet|ya|corp|[\w-]{1,64}\.[a-z]{2,6})/\w[\w.%+-]{0,63})"
"""What follows `my.mail.ru/` in the address of a person's page on Mail.ru's network: the host
and the user name of the person's e-mail address (`my.mail.ru/mail/aigulkz/`, `…/bk/…`,
`…/yandex.ru/…`); not a community's page (`my.mail.ru/community/…`)."""

NO_CHANNEL = (
    r"(?:watch|results|playlist|playlists|embed|shorts|feed|channel|c|user|live|hashtag|gaming"
    r"|premium|kids|t|v|e|about|account|redirect|attribution_link|signin|logout|upload|trending"
    r"|post|source|howyoutubeworks|creators|ads|jobs|yt|new|index|home|oembed|music|sports"
    r"|news|learning|podcasts|movies|storefront|show|verify|watch_videos|subscription_manager"
    r"|supported_browsers|paid_memberships|reporthistory|account_notifications)(?![\w.%-])"
)
"""What may follow `youtube.com/` and name no channel: a video, a search, a playlist, a feed,
YouTube's own pages."""

MESSENGER = (
    r"(?=[tTwWmMfFiIvVsScCoOxXlLyYdD])"  # what each begins with: looked at first, as before
    rf"(?i:(?<![\w.])(?:www\.)?(?:(?:t|telegram|wa|m|fb|ig|vk){ME_HOST}(?:m/)?[\w.+]{{1,64}})"
    rf"|(?<![\w.])(?:www\.)?telegram\.dog{HOST_END}[\w.+]{{1,64}}"
    rf"|{SITE_PREFIX}(?:{PROFILE_SITES}){HOST_END}[\w.%+-]{{1,64}}"
    r"(?:/[\w.%+-]{1,64}){0,2}(?:\?[\w.%+=&-]{1,64})?"
    rf"|{SITE_PREFIX}youtube\.com{HOST_END}(?:(?:channel|c|user)/|(?!{NO_CHANNEL}))[\w.%-]{{1,100}}"
    rf"|(?<![\w.])my\.mail\.ru{HOST_END}{MAIL_PAGE}"
    r"|(?<!\w)(?:tg|viber|whatsapp)://[\w.%+=&?/-]{1,128}"
    r"|(?<!\w)(?:skype|callto):[\w.%+,:-]{1,64}(?:\?\w{1,16})?)"
)
"""A messenger's link to a person (`t.me/aigul_k`, `wa.me/77011234567`, `m.me/…`, `vk.me/…`,
`tg://resolve?domain=aigul_k`, `skype:aigul.kenzhe`, `viber://chat?number=…`), or a social
network's address of a page, a person's as far as anyone can tell (`vk.com/aigul_kenzhe`,
`https://www.instagram.com/aigul.kenzhe/`, `facebook.com/profile.php?id=…`, `ok.ru/profile/…`):
a contact as much as the `@aigul_k` it stands for (`kazakhart.me/…` is a web site, and so is
any other host's address), or a YouTube channel's address by its id or its name
(`youtube.com/channel/UC…`, `youtube.com/c/…`, `youtube.com/user/…`, the oldest `youtube.com/…`,
not a video or a search, `NO_CHANNEL`), or a page of Mail.ru's
network (`my.mail.ru/mail/aigulkz/`, `MAIL_PAGE`).
Its first three parts (`facebook.com/people/…/…`) and its query are covered, each bounded."""

PERSON_LINK = (
    rf"(?i:(?<![\w.])(?:www\.)?(?:(?:(?:t|telegram|vk){ME_HOST}|telegram\.dog{HOST_END})[\w+]{{1,64}}"
    rf"(?![\w+]|/\d)|(?:wa|m|fb){ME_HOST}[\w+]{{1,64}}|ig{ME_HOST}m/[\w+]))"
)
"""A messenger's link to a person: `t.me/aigul_k`, `telegram.dog/aigul_k`, `wa.me/77011234567`,
`m.me/aigul.kenzhe`, `www.t.me/aigul_k`, `t.me./aigul_k`, `t.me:443/aigul_k` (`HOST_END`);
not a post of a public channel (`t.me/nmrk_kz/707`, an institution's news, cited as a
source)."""
SCHEME_PERSON = (
    r":(?:(?<=(?i:\btg):)//(?i:resolve\?domain=\w{1,64}(?![\w&])|user\?id=\d|msg\?to=\S)"
    r"|(?<=(?i:\bviber):)//(?i:chat|add|contact)\?(?i:number)=\S"
    r"|(?<=(?i:\bwhatsapp):)//(?i:send)\?(?i:phone)=\S"
    r"|(?<=(?i:\bskype):)\w[\w.:,-]|(?<=(?i:\bcallto):)\w[\w.-])"
)
"""A messenger's link to a person written with its own scheme: `tg://resolve?domain=aigul_k`
(not a channel's post, `&post=707`), `tg://user?id=…`, `skype:aigul.kenzhe`, `callto:…`,
`viber://chat?number=…`, `whatsapp://send?phone=…`. Searched from each `:` (rare in texts)."""
_NO_PROFILE = (
    r"(?:watch|share|sharer|permalink|story|photo|photos|video|videos|events?|groups?|pages"
    r"|explore|hashtag|search|feed|login|away|reels?|p|tv|clips?|music|audio|wall|market"
    r"|home|i|intent|settings|notifications|messages|compose|jobs|pulse|learning|news|topics?"
    r"|media|suite|articles?)"
    r"(?:\.php)?(?![\w.%+-])"
    r"|(?:wall|club|public|event|video|photo|topic|album|clip|audio|doc|market|app|board|page"
    r"|note|poll|story|wiki)-?\d"
)
PROFILE_TAB = (
    r"(?:reels|tagged|saved|guides|highlights|media|likes|with_replies|followers|following"
    r"|verified_followers|about|photos|videos|friends|posts|recent-activity)"
)
"""A tab of a person's page (`instagram.com/aigul.kenzhe/reels/`, `x.com/aigul_k/media`,
`facebook.com/aigul.kenzhe/photos`): the page still, not a post of it (`…/posts/123`)."""
PROFILE_PATH = (
    rf"(?i:profile\.php\?id=\d|profile/\d|people/[\w.%+-]{{1,256}}+/\d"
    rf"|(?:in/)?(?!{_NO_PROFILE})[\w.%+-]{{1,64}}+(?:/{PROFILE_TAB})?/?+"
    r"(?![\w.%+-]))"
)
"""What follows a social network's host (`PROFILE_SITES`) in the address of a person's page:
one part, not followed by another but a tab of the page (`PROFILE_TAB`), that names no post,
video, group or search (`vk.com/aigul_kenzhe`, `instagram.com/aigul.kenzhe/?hl=en`, `vk.com/id123`, `x.com/aigul_k`,
`facebook.com/profile.php?id=…`, `facebook.com/people/Aigul-Kenzhe/100012345678/`,
`ok.ru/profile/…`, LinkedIn's `in/aigul-kenzhe`); not
`instagram.com/p/…`, `facebook.com/watch?v=…`, `vk.com/wall-…_…`, `facebook.com/nmrk/posts/…`,
`x.com/nmrk/status/…` (cited sources)."""

CHANNEL_PATH = (
    r"(?:(?i:channel)/UC[\w-]{22}|(?i:c|user)/[\w.%-]{1,100}+"
    rf"|(?!(?i:{NO_CHANNEL}))[\w.%-]{{1,100}}+)/?+(?![\w.%+/-])"
)
"""What follows `youtube.com/` in the address of a channel by its id (`channel/UC` and 22
letters, digits, `-` and `_`) or by its name in the older forms (`c/…`, `user/…`), as its
path's last part, or the oldest form, by its name alone (`youtube.com/aigulkz`; not a video, a
search or YouTube's own page, `NO_CHANNEL`): a person's page as far as anyone can tell, as
`youtube.com/@…` is
(`HANDLE_PAGE`); not a tab of it (`…/videos`)."""

SPECIAL_SCHEME = r"(?:(?<=(?i:\bws:))|(?<=(?i:\bftp:|\bwss:))|(?<=(?i:\bhttp:))|(?<=(?i:\bhttps:)))"
"""Right after the `:` of a scheme a browser reads backslashes in (`http`, `https`, `ftp`, `ws`,
`wss`, in any case): looked at behind."""

SCHEME_SLASHES = rf":(?:{SPECIAL_SCHEME}[/\\\t\n\r]*+|[\t\n\r]*+/[\t\n\r]*+/)"
"""Where a web address's host begins, as a browser reads it (WHATWG's URL standard): after a
scheme's `://`, or, after a scheme a browser reads backslashes in (`SPECIAL_SCHEME`), after a
`:` and any slashes and backslashes, or none (`https:\\\\host/…`, `https:/\\host/…`, `HTTPS:///
host/…`, `https:host/…`: a browser reads each as `https://host/…`); tabs and line breaks among
them are none to a browser (`https:\\t//host/…`). It begins with the `:`, which the engine skips
to. What stands between it and the last `@` before the host's end is the address's user name
and password (ichinv.core.web_logins)."""

HANDLE_PAGE = (
    rf"(?:{SCHEME_SLASHES})[^\s/?#\\@:]{{1,256}}+(?::\d{{1,5}})?[/\\]@[^\W\d][\w.%+-]{{0,63}}+/?+"
    r"(?![\w.%+/-])"
)
"""A web address naming a person by a handle, as its path's one part (`youtube.com/@aigul_k`,
`tiktok.com/@aigul.k`, Medium's, Mastodon's): not a video of it (`tiktok.com/@aigul.k/video/…`),
nor a place on a map (`maps/@43.2,76.9`). Its host, and port, are looked at up to the next `:`
(where another scheme may begin: `https:` with no slashes is one): linear time."""

USER_LABEL_BEFORE = r"(?<=[\w-])(?<!(?<![\w-])(?i:www))(?<!(?<![\w-])(?i:m))"
"""Where a host that names users by its label before (`aigulkz.livejournal.com`, `aigul_k.t.me`)
has such a label: a letter, digit, `_` or `-` just before, and a label that is not the host's
own `www` or `m` (`www.t.me`, `m.aigul_k.t.me` has one: `aigul_k`)."""

JOURNAL = rf"{USER_LABEL_BEFORE}\.(?i:livejournal\.com)(?![\w-])"
"""The end of a LiveJournal blog's host, whose first part names the person (`aigulkz.livejournal.com`):
the word before it is looked at (ichinv.core.person_links, ichinv.core.contacts)."""

TELEGRAM_PAGE = rf"{USER_LABEL_BEFORE}\.(?i:t\.me)(?![\w-]|\.\w)"
"""The end of a Telegram page's host in the form whose first part is the handle
(`aigul_k.t.me`, `https://aigul_k.t.me/`): its first part looked at as JOURNAL's is."""

URL_AT = r"(?:@|%40|&(?:#0*+64|#[xX]0*+40|commat);|[\uff20\ufe6b])"
"""An `@` however a web address writes it: URL-encoded, an HTML character reference, a full-width
or small one."""

QUERY_ADDRESS = rf"(?<=[\w.%+-]){URL_AT}(?:[\w-]{{1,63}}\.){{1,8}}[^\W\d_]{{2,63}}(?![\w-])"
"""An e-mail address in a web address's query or fragment (`…/form?email=aigul%40example.org`,
`?mail=aigul@example.org`): an `@` however a web address writes it, the end of a user's name
before it and a host with a dot after it (`?v=2@2x` holds none). Looked for after the `?` or
`#` of an address only: in its path, `PATH_ADDRESS`."""

PATH_ADDRESS = rf"(?<=[\w.%+-]){URL_AT}(?i:(?:[\w-]{{1,63}}\.){{1,8}}{DOMAIN_END})(?![\w-]|\.\w)"
"""An e-mail address in a web address's path (a calendar's, `…/calendar/ical/aigul%40example.org/
public/basic.ics`, `…/owa/calendar/aigul@example.org/…`): the end of a user's name, an `@`
however a web address writes it, and a host ending in a top-level domain (`DOMAIN_END`), no
file's name (`File:Dombra@2x.png`, `logo@2x.png`)."""

MESSENGER_NAMES = (
    "telegram", "instagram", "whatsapp", "skype", "viber",
    "телеграм", "телеграмм", "инстаграм", "инстаграмм", "ватсап", "вотсап", "вацап", "уатсап",
    "скайп", "вайбер", "вибер", "vk", "facebook", "tiktok", "wechat", "вк", "вконтакте",
    "фейсбук", "тикток", "вичат",
)  # fmt: skip
"""The names of messengers and social networks a handle follows in a text (`named_handle`), in
small letters (`VK: aigul.kenzhe8`, `TikTok: aigul.kenzhe8`, `WeChat: aigul_k`)."""
COLON_NAMES = (
    "twitter", "youtube", "snapchat", "linkedin", "одноклассники", "tg", "ig", "тг", "инста",
    "insta", "твиттер", "ютуб", "линкедин",
)  # fmt: skip
"""Names of other networks, and short names (`ТГ`, `tg`, `IG`, `Инста`, `insta`), a handle follows only
after a colon (`Twitter: aigul_k6`, `ТГ: aigul_k6`, `| YouTube | aigul_k6 |`): without one, the
word after them is too often prose (`YouTube 1080p`)."""
STRICT_NAMES = ("signal", "threads", "discord")
"""Names of networks that are words of prose (`the signal`, `threads of silk`): a handle follows
them only after a colon, and holds a digit, an underscore or a dot (`Signal: aigul_k6`; not
`Threads: silk and cotton`)."""
HANDLE = (
    r"(?=[0-9_.]{0,64}+[A-Za-z])(?=[A-Za-z]{0,64}+(?:[0-9_]|\.[A-Za-z0-9_]))"
    r"[A-Za-z0-9_](?:[A-Za-z0-9_]|\.(?=[A-Za-z0-9_])){3,63}+(?!\w)"
)
"""A messenger's handle as no word of prose is written: four letters and digits or more,
among them a digit, an underscore or a dot (`aigul_k`, `leak.handle8`, `aigul88`)."""
HYPHENED_HANDLE = r"[a-z][a-z0-9]{1,30}+(?:-[a-z0-9]{1,30}+){1,6}+(?![\w-])"
"""A LinkedIn page's name after `LinkedIn:`, small letters and digits joined by hyphens
(`aigul-kenzhe-123`)."""
NAMED_WORDS = (
    r"(?:none|channels?|groups?|chats|bots|accounts?|pages?|profiles?|posts?|videos?|stories"
    r"|reels|links?|notes|official|private|public|closed|deleted|unknown|here|below|above|soon"
    r"|available|same|also|only|news|announcements?|updates?|events?|photos?|music|streams?"
    r"|broadcasts?|concerts?|lessons?|lectures?|classes|courses?|interviews?|recordings?"
    r"|active|inactive|popular|rare|rarely|often|sometimes|never|always|weekly|daily|monthly"
    r"|yearly|regularly|occasionally|family|friends|students|members|followers|subscribers"
    r"|community|personal|business|work|main|mainly|both|many|several|various|online|offline"
    r"|live|open|archived?|verified|blocked|banned|disabled|unused|used|planned"
    r"|kazakh|russian|english|joq|bar|resmi|ashyq|jabyq)"
)
"""Words of prose that may end a clause right after a messenger's name and a colon (`Instagram:
none`, `Telegram: channel, Instagram: posts`, `VK: inactive`, `Viber: rarely`, `WhatsApp:
family.`, and Kazakh ones in Latin letters, `joq`): no handle (`LETTERS_HANDLE`)."""
LETTERS_HANDLE = (
    rf"(?!(?i:{NAMED_WORDS})(?![A-Za-z]))(?![A-Z][a-z]{{3,63}}+(?![A-Za-z]))[A-Za-z]{{4,64}}+"
    r"(?=[ \t\u00a0]{0,3}(?:\Z|[\r\n,;!?)\]}\u00bb\"'/|`*]|\.(?!\w)|(?:and|or"
    r"|\u0438\u043b\u0438|\u0436\u04d9\u043d\u0435|\u043d\u0435\u043c\u0435\u0441\u0435)(?!\w)))"
)
"""A handle of letters only, right after a messenger's name and a colon (`Telegram: aigulkz`):
four letters or more as the whole of what the colon introduces, up to the end of the text, of
its line or of the clause (`,`, `;`, `.`, a closing bracket), or up to `and`, `or`, `или`,
`және`, `немесе` (`Telegram: aigulkz or Instagram: …`); not `Skype: notes added`, `Telegram:
the festival's channel`, nor a word of `NAMED_WORDS`, nor a word written as a name is, a
capital and small letters (`Instagram: Aitys, Kokpar.`, `Telegram: Kazakh and Russian`; a
capital inside it is a handle's, `AigulKZ`). Without the colon a word of letters is prose
(`Telegram channel of the festival`)."""

_NAME_FOLLOWS = "\\s:=(\\-\u2013\u2014*|\uff1a\u2192"
"""What may follow a messenger's name: white space, a colon (a full-width one too), `=`, a
bracket, a dash, Markdown's `**` or a table's `|`, an arrow."""


def _behind(names: list[str]) -> str:
    """Look-behinds for `names` ending where the pattern stands, one for each length."""
    return (
        "|".join(
            r"(?<=\b(?i:{}))".format("|".join(name for name in names if len(name) == size))
            for size in sorted({len(name) for name in names})
        )
        or "(?!)"
    )


def named_handle(ends: str, *, links: bool = False) -> str:
    """A handle or a number after a messenger's name whose last letter is one of `ends`, in
    Latin or Cyrillic letters (`Telegram: aigul_k`, `instagram leak.handle8`, `whatsapp
    7000000041`, `ватсап 8 701 555 1234`, `Skype: aigul.kenzhe`, `viber aigul_k8`, `скайп
    aigul_k8`), as the group `handle`: not `Telegram channel`, `Skype: notes added`,
    `Instagram posts of 2023`. A word may stand between the name and a colon (`Telegram
    account: …`, `Telegram-арнасы: …`), Markdown's stars around them (`**Telegram:** …`), white
    space up to sixteen characters after the colon, quotes or a backquote before the handle
    (`Telegram: «aigul_k6»`); a table's `|` or a full-width colon is a colon. The names of
    `COLON_NAMES` and `STRICT_NAMES` need a colon, and after those of `STRICT_NAMES` a handle
    of letters only is none. The last letter is looked for first, then what may follow it
    (most letters end no word), then the names, looked at behind. With `links`, also the
    scheme of a web address after the name (`Telegram: https://…`), whose word names a person
    as far as anyone can tell: what log and the messages hide (`NAMED_LINK`)."""
    low = ends.lower()
    names = [name for name in MESSENGER_NAMES if name[-1] in low]
    colon_names = [name for name in COLON_NAMES if name[-1] in low]
    strict = [name for name in STRICT_NAMES if name[-1] in low]
    hyphened = [name for name in ("linkedin",) if name[-1] in low]
    return (
        (ends if len(ends) == 1 else f"[{ends}]")
        + f"(?=[{_NAME_FOLLOWS}])(?:"
        + _behind(names)
        + f"|(?P<colonly>{_behind(colon_names)})|(?P<strict>{_behind(strict)}))"
        + (f"(?P<hyphened>{_behind(hyphened)})?" if hyphened else "(?P<hyphened>(?!))?")
        + r"(?:[ \t\u00a0\-\u2013][^\W\d_]{2,24}+(?=\*{0,2}[ \t\u00a0]{0,3}[:\uff1a]))?"
        + r"\*{0,2}\s{0,3}(?:(?:(?P<colon>[:\uff1a|])|[=(\-\u2013\u2014\u2192])\*{0,2}\s{0,16})?"
        + r"(?(colonly)(?(colon)|(?!)))(?(strict)(?(colon)|(?!)))"
        + "[`\"'\u00ab\u201c\u201e\u2018]?@?(?P<handle>"
        + HANDLE
        + r"|[+\uff0b]?\d(?:[\s().\-]?\d){8,14}(?!\d)"
        + rf"|(?(hyphened){HYPHENED_HANDLE}|(?!))"
        + rf"|(?(colon)(?(strict)(?!)|{LETTERS_HANDLE})|(?!))"
        + (r"|(?i:https?|ftp):\S" if links else "")
        + ")"
    )


NAME_ENDS = "mMpPмМпПeErRрРkKtTкКтТеЕnNgGиИгГаАaAбБнНlLsSdD"
"""The last letters of the names of `MESSENGER_NAMES`, `COLON_NAMES` and `STRICT_NAMES`, small and
capital."""
NAMED_LINK = named_handle(NAME_ENDS, links=True)
"""A handle, a number or a web address after a messenger's name, however its last letter is
written: what log and the messages hide the rest of the word of (ichinv.core.contacts)."""
