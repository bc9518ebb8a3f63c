"""Hint data for the generic profile: the words, patterns and selectors pages are read by."""

from __future__ import annotations

import re

from lxml import etree
from lxml.cssselect import CSSSelector

# Elements that never hold article text.
DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed",
    "button", "input", "select", "textarea", "nav", "aside", "link", "meta", "map", "dialog",
    "amp-ad", "amp-embed", "amp-sticky-ad", "amp-analytics",  # AMP's ad and tracking slots
)  # fmt: skip
# The name hints below match lowercased class/id names (a case-blind regex is ~3x slower).
# Regions whose class or id says they are not the article.
BOILERPLATE = re.compile(
    r"comment|share|sharing|social|related|sidebar|side-bar|breadcrumb|menu|navbar"
    r"|\bnav\b|footer|masthead|promo(?!ted)|advert|\bads?\b|\bad-|-ad\b|sponsor|newsletter|subscri"
    r"|signup|sign-up|cookie|consent|popup|modal|(?:^|\s)dialog(?:\s|$)|banner|\btags?\b|toolbar|pagination"
    r"|(?<![a-z])pager"
    r"|rating|recommend|more-stories|read-?more|outbrain|taboola|disqus|author-?bio|author-?box|about-?the-?author|login"
    r"|trending|most-?read|most-?popular|lien-?quan|tin-?khac|xem-?them"
    r"|binh-?luan|print|tooltip|skip"
    # Hidden by a utility class (not "hidden-xs": that shows on large screens).
    r"|(?:^|\s)(?:hidden|is-hidden|d-none|visually-hidden|sr-only|screen-reader-text)(?:\s|$)"
)
# Names that say a region is never the article, however much prose it holds (comments, other
# stories, side columns); other boilerplate names ("share", "print", "banner") also name
# articles that hold such buttons.
STRONG_CHROME = re.compile(
    r"comment|related|sidebar|side-bar|footer|newsletter|recommend|more-stories|outbrain"
    r"|taboola|disqus|author-?bio|author-?box|about-?the-?author|trending|most-?read|most-?popular|lien-?quan|tin-?khac"
    r"|xem-?them|binh-?luan|cookie|consent|popup|modal|(?:^|\s)dialog(?:\s|$)|teaser"
)
# Classes a CMS puts on the article itself to name its taxonomy ("tag-honda", "category-news").
TAXONOMY_CLASSES = re.compile(
    r"(?:^|\s)(?:tag|tags|category|post|format|status|type|has|postid)[-_]\S*"
)
# Class/id names that mark the article body itself.
BODY_NAMES = re.compile(
    r"articlebody|article-?body|article__body|article-?content|story-?body|story-?content"
    r"|post-?content|post-?body|entry-?content|main-?content|news-?content|content-?detail"
    r"|detail-?content|fck_detail|body-?text|article-?text|text-?content|noi-?dung"
    # BEM names: the block itself ("article__content"), not a teaser's part ("box__article__text").
    r"|(?:^|\s)(?:article|story|post|entry|news)__(?:body|content|text)\b"
)
BODY_SELECTOR = CSSSelector("[itemprop='articleBody'], article")
# A lead: at most this share of its text linked, at most this much paragraph text between it and
# the headline (a date line, a caption), among the first few lead-named elements.
MAX_LEAD_LINK_SHARE = 0.3
MAX_PROSE_BEFORE_LEAD = 150
MAX_LEAD_CANDIDATES = 5
SUMMARY_HINT = re.compile(
    # (Word edges by letters, not \b: a BEM name, "post__lead", has "_" before the word.)
    r"sapo|summary|(?<![a-z])lead(?![a-z])|standfirst|description|excerpt|chapeau|chapo"
    r"|(?<![a-z])intro|teaser|(?<![a-z])deck(?![a-z])"
    r"|subtitle|sub-?head|tom-?tat"
    # the lead's name in other newsrooms' languages (de, es, it, pl, pt)
    r"|vorspann|einleitung|anriss|entradilla|bajada|sumario|sommario|zajawka|linha-?fina"
)
DATE_HINT = re.compile(r"date|time|publish|posted|ngay|dateline|byline|meta|info")
AUTHOR_SELECTOR = CSSSelector(
    "[rel='author'], [itemprop='author'], [class*='author'], [class*='byline']"
)
# A portal footer's labels, lowercase: a footer whose lowered text holds none states no facts.
FOOTER_LABELS = ("cơ quan chủ quản", "địa chỉ", "trụ sở", "điện thoại", "fax", "email", "e-mail",
                 "chịu trách nhiệm", "biên tập")  # fmt: skip
TIME_SELECTOR = CSSSelector("time[datetime]")
# hAtom dates (`.published[title]`...): elements with a title and one of these classes. (The
# CSS selector's XPath took a millisecond a page; this one, a fifth of that.)
MICROFORMAT_CLASSES = frozenset(("published", "updated", "entry-date", "dtstamp"))
TITLED_WITH_CLASS = etree.XPath("descendant-or-self::*[@title and @class]")
# What separates class names for CSS (XPath's normalize-space: XML white space only).
CLASS_SEPARATOR = re.compile(r"[ \t\r\n]+")
# Years a web page's publication date can plausibly have.
MIN_YEAR, MAX_YEAR = 1995, 2035
# A line that is only such a phrase ("Xem thêm:", "Advertisement") is chrome, a sentence is not.
MAX_JUNK_LINE_CHARS = 30
# A block this long (white space collapsed) is no link list, however many links it holds.
LINK_LIST_MAX_CHARS = 300
JUNK_LINE = re.compile(
    r"^(advertisement|anzeige|publicité|werbung|share( this)?( article)?|read more|xem thêm"
    r"|tin liên quan|bài liên quan|continue reading|sign up|subscribe|follow us|related"
    r"|click here|bấm vào đây|in bài|print|email|facebook|twitter"
    # "read more" in other languages
    r"|weiterlesen|mehr lesen|lire la suite|leer más|seguir leyendo|czytaj (?:dalej|więcej)"
    r"|đọc tiếp|continua a leggere|leia mais)\b",
    re.IGNORECASE,
)
# A view counter's text node holds one of these ("Lượt xem", "Views"): a page whose text holds
# none has no counter.
VIEWS_TEXT_WORDS = ("ượt", "ƯỢT", "views", "Views", "VIEWS")
VIEWS_TEXT = etree.XPath(
    ".//text()[" + " or ".join(f"contains(., '{word}')" for word in VIEWS_TEXT_WORDS) + "]"
)
VIEWS = re.compile(
    r"(?:lượt người xem|lượt xem|số lượt xem|lượt đọc|views?)\s*:?\s*([\d.,]+)", re.I
)
# What every VIEWS match ends with, composed or not (the page text is not NFC yet): one
# pattern per word, each starting with its word, which `re` then finds by that literal.
VIEWS_ANYWHERE = (
    ("xem", re.compile(r"xem\s*:?\s*\d")),
    ("đ", re.compile(r"đ(?:ọ|o\u0323)c\s*:?\s*\d")),
    ("view", re.compile(r"views?\s*:?\s*\d")),
)
FILE_LINK = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|zip|rar|7z|odt|ods)(?:$|\?)", re.IGNORECASE)
ARTICLE_LINK = re.compile(r"\d{4,}|\b\w+-\w+-\w|dispform\.aspx\?id=\d+", re.IGNORECASE)
NEXT_PAGE = re.compile(r"^(next|tiếp|trang sau|sau|»|›|>|weiter|suivant)\b", re.IGNORECASE)
WORD = re.compile(r"\w+")
HAS_TIME = re.compile(r"\d{1,2}[:hg]\d{2}")
SHAREPOINT_ITEM = re.compile(r"/(?:DispForm|ViewForm)\.aspx\?", re.IGNORECASE)
URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")
# Headlines written without an <h1>: sub-headings and elements named as the title.
HEADLINE_CANDIDATES = etree.XPath(
    "descendant::*[self::h2 or self::h3 or contains(@class, 'title')"
    " or contains(@class, 'headline') or contains(@class, 'tieu-de') or contains(@class, 'tieude')]"
    "[not(self::title)]"
)
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»·]\s+|\s+::\s+")
# Paragraph-like elements whose text counts toward their ancestors' scores.
PARAGRAPH_TAGS = ("p", "pre", "blockquote", "td", "li", "div", "section", "font", "span")
MIN_PARAGRAPH_CHARS = 25
# Inline runs count as paragraphs only when long (some editors write a paragraph as one <span>).
MIN_INLINE_PARAGRAPH_CHARS = 80
# Containers whose own text (not their children's) is what counts.
DIRECT_TEXT_TAGS = ("div", "section", "td", "font", "span")
MIN_BODY_CHARS = 80
# A body shorter than this is read again without pruning by weak chrome names and landmarks,
# and that reading is kept when it is this many times as long.
SHORT_BODY_CHARS = 800
# A page with no body but a lead this long (a video's description, a brief) is an article
# whose text is its lead; a shorter line under a headline (a section's blurb) is not.
LEAD_BODY_CHARS = 150
LENIENT_GAIN = 2
# The region around the headline read as a short page's body stops below an ancestor whose
# text is more than this share links (the page's menus and lists of other stories).
REGION_LINK_DENSITY = 0.3
# Use JSON-LD articleBody when the page's own text is less than this share of it.
STRUCTURED_BODY_SHARE = 0.5
# Widen the region until it holds this share of the page's paragraphs of this length.
SPREAD_SHARE = 0.4
# A parent holding at most this many times a block's text is a wrapper of it.
WRAPPER_SLACK = 1.15
SPREAD_PARAGRAPH_CHARS = 150
MAX_DATE_LINE_CHARS = 80
CAPTION_NAMES = re.compile(r"caption|credit|copyright|photo-?desc|image-?desc|getty")
ERROR_TITLE = re.compile(
    r"^(404|403|500|error|not found|page not found|sorry, something went wrong|access denied"
    r"|không tìm thấy|trang không tồn tại|lỗi|seite nicht gefunden|page introuvable)\b",
    re.IGNORECASE,
)
ERROR_SELECTOR = CSSSelector("#ms-error-body, .ms-pageErrorBody")
ERROR_NAMES = ("ms-error-body", "ms-pageErrorBody")  # the id and class ERROR_SELECTOR reads
KICKER_WORDS = 4  # a kicker above a headline: at most MAX_KICKER_CHARS, this many words, in:
KICKER_TAGS = ("div", "span", "p", "a", "strong", "b", "em", "small", "h2", "h3", "h4", "h5", "h6")
# A field element (headline, date line, byline, lead) longer than this may hold body text too.
MAX_FIELD_CHARS = 300
# Elements a page names (class, id, rel, itemprop): where the name hints above are looked for.
NAMED_ATTRIBUTES = ("class", "id", "rel", "itemprop")
NAMED_PREDICATE = " or ".join(f"@{name}" for name in NAMED_ATTRIBUTES)
# (`descendant::*`, not the `.//*` it equals: libxml2 walks that as every node's children.)
NAMED = etree.XPath(f"descendant::*[{NAMED_PREDICATE}]")
NAMED_BEFORE = etree.XPath(
    f"count(preceding::*[{NAMED_PREDICATE}]) + count(ancestor::*[{NAMED_PREDICATE}])"
)
# Elements with a class or id, and those that may be hidden: what pruning looks at.
MARKED = etree.XPath("descendant::*[@class or @id or @style or @hidden or @aria-hidden]")
# A link label shorter than this is no headline ("Xem thêm", "»", a date).
LISTING_TITLE_MIN_CHARS = 15
# Class/id names of a site's logo, name or menu: an `<h1>` there is no headline.
SITE_NAME_NAMES = re.compile(
    r"logo|brand|site-?title|site-?name|blog-?title|masthead|navbar|\bmenu|\bnav\b|header-?title"
)
SLUG_MIN_WORDS, SLUG_SHARE = 4, 0.8  # a URL slug this long names a headline holding this share
# A heading's text longer than this is a block holding the headline, not the headline.
MAX_HEADLINE_CHARS = 300
# A short label glued to a headline (kicker, section, "Exclusive"): at most this long.
MAX_KICKER_CHARS = 40
# Labels that say a date is not the publication date: an edit, a retrieval, a claim, the clock.
NOT_PUBLISHED_DATE = re.compile(
    r"(?:last\s+)?(?:edited|updated|modified|revised|retrieved|accessed|abgerufen|aktualisiert"
    r"|geändert|mis à jour|modifié|consulté|cập nhật|sửa đổi|claim(?:ed)?(?:\s+date)?"
    r"|date of claim|current time|today is|hôm nay|heute ist)\b[^0-9]{0,30}$",
    re.IGNORECASE,
)
# A publication stamp in a page script: "articlePublishDate":"20260720060313", "publish_time".
SCRIPT_PUBLISH_STAMP = re.compile(
    r"""publish\w{0,20}?(?:date|time)\w{0,10}['"]?\s*[:=]\s*['"]"""
    r"(\d{4})-?(\d{2})-?(\d{2})[T ]?(\d{2}):?(\d{2}):?(\d{2})['\"]",
    re.IGNORECASE,
)
# Elements before the headline where its date line may stand (a dateline above the title).
DATE_ABOVE_TITLE_ELEMENTS = 3
# Words a date line may write before its date and that belong to it ("Thứ 6, Ngày", "Posted on").
DATE_PREFIX = re.compile(
    r"^(?:(?:thứ\s*(?:\d|hai|ba|tư|năm|sáu|bảy)|chủ\s*nhật|ngày(?:\s*đăng)?|đăng(?:\s*lúc)?|lúc"
    r"|xuất bản|published(?:\s*on)?|posted(?:\s*on)?|on|date|le|am|vom|publié|veröffentlicht"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\s*[:,.\-–|]?\s*)*$",
    re.IGNORECASE,
)
# How many ancestors of an `<h1>` may say it is the site's logo or menu.
LOGO_DEPTH = 3
# A news agency's or newspaper's code opening a lead: "TPO - ", "VOV.VN - ", "(AFP) - ".
# A lead's own label ("Tóm tắt:"), not part of it.
LEAD_LABEL = re.compile(
    r"^(?:tóm tắt|sapo|tóm lược|summary|zusammenfassung|résumé|resumen|riassunto)\s*:\s*",
    re.IGNORECASE,
)
LEAD_SOURCE_PREFIX = re.compile(r"^\(?[A-ZĐ][A-ZĐ0-9.]{1,11}\)?\s*[-–—:]\s+(?=\S)")
# `<meta>` keys that name the site (an `<h1>` saying only that is no headline).
SITE_NAME_KEYS = ("og:site_name", "application-name", "al:ios:app_name")
# Regions whose `<time>` elements date other articles: sidebars, widgets, related lists.
OTHER_ARTICLES_NAMES = re.compile(
    r"sidebar|side-bar|related|widget|recommend|more-?stories|most-?(?:read|popular)|trending"
    r"|lien-?quan|tin-?khac|xem-?them|\bteaser"
)
# A photo story: an article whose text is its captions. At least this many captioned figures in
# one block, holding at least this much caption text, under a headline the page confirms.
MIN_STORY_FIGURES = 3
MIN_STORY_CAPTION_CHARS = 200
# The body's end. A paragraph this long (own text, few links) is article prose.
MIN_PROSE_CHARS = 80
# Evidence that a block after the article's last paragraph is page chrome, not a closing line:
# a web address, a phone number (hotlines), a bracketed tag alone ("(TTXVN)", "[Reuters]").
# A block after the last paragraph holding more unlinked text than this is no chrome.
MAX_TAIL_JUNK_CHARS = 400
TAIL_URL = re.compile(r"https?://|www\.")
TAIL_PHONE = re.compile(r"(?<!\d)(?:\+?\d{2,4}[ .\-]?)?\d{3,4}[ .\-]\d{3}[ .\-]?\d{3,4}(?!\d)")
TAIL_TAG = re.compile(r"^[(\[][^()\[\]]{1,40}[)\]]$")
TAIL_URL_TEXT = re.compile(r"(?:https?://|www\.)\S*")
# A short line that opens a list of other articles: the article ended before it.
RELATED_HEADING = re.compile(
    r"^(?:related|you (?:may|might) (?:also )?like|read (?:also|next|more)|more (?:on|from|about)"
    r"|see also|recommended|das könnte (?:sie|dich|euch) (?:auch )?interessieren|auch interessant"
    r"|mehr zum thema|zum weiterlesen|schon gelesen|lesen sie (?:auch|mehr)"
    r"|weitere (?:artikel|beiträge|themen|meldungen|nachrichten|news)"
    r"|zobacz (?:również|też|także)|czytaj (?:także|też|również)|polecamy|lea (?:también|además)"
    r"|(?:le|te) puede interesar|(?:notas|noticias|artículos) relacionad|(?:à )?lire aussi"
    r"|sur le même sujet|leggi anche|potrebbe interessarti|tin liên quan|bài liên quan"
    r"|tin cùng chuyên mục|đọc thêm|xem thêm|tin khác|bài viết khác"
    r"|(?:ähnliche|verwandte) beiträge|die meistgelesenen|mehr interessantes|mehr aus dem"
    r"|noch mehr|temas relacionados|lo último|editors?.? recommendations|aller plus loin"
    r"|weitere informationen)\b",
    re.IGNORECASE,
)
# A short line after which only the page's matter follows, prose or not (the author's bio, a
# link back to the list).
AFTER_ARTICLE_HEADING = re.compile(
    r"^(?:about the author|über den autor|zur person|sobre el autor|à propos de l.auteur"
    r"|o autorze|về tác giả|zurück (?:nach oben|zu|zur)|back to top)\b",
    re.IGNORECASE,
)
# Such a line counts only this far into the article (before it, "read also" lines sit inline).
RELATED_AFTER_SHARE = 0.5
RELATED_HEADING_CHARS = 60
# An author's bio opening or closing the body: at most this long, naming an author this long.
MAX_BIO_CHARS = 400
MIN_BIO_NAME_CHARS = 6
# At most this many such lines are weighed on a page (each costs a walk of the body).
MAX_RELATED_CANDIDATES = 5
# A line that is only a photo credit ("Foto: dpa", "Photograph by ...", ".../Getty Images").
CREDIT_LINE = re.compile(
    r"^(?:fotos?|photos?|photograph|bild(?:er)?|ảnh|images?|imagen|fotografía|credits?|crédits?"
    r"|crédito|zdjęcie|bildnachweis|bildquelle)\b\s*(?:by\b|von\b|de\b|:|©|/)"
    r"|[/©:]\s*(?:getty images|afp|reuters|dpa|imago|picture[- ]alliance|shutterstock|istock"
    r"|istockphoto|epa|keystone|ap photo)\s*$",
    re.IGNORECASE,
)
MAX_CREDIT_LINE_CHARS = 100
# A line that is only an interface string (a loader, a prompt's buttons) is no body text.
UI_LINE = re.compile(
    r"^(?:loading|đang tải|please wait|remind me (?:tomorrow|later)|not now|maybe later|no thanks"
    r"|nhắc tôi sau|để sau|skip ad|bỏ qua quảng cáo|chargement|wird geladen|laden|cargando"
    # the placeholder of an embed waiting for consent
    r"|externer inhalt|external content|contenu externe|contenido externo"
    # a reading time: "5 min read", "Lesezeit: 3 Minuten", "11 minut czytania", "2 phút đọc"
    r"|(?:lesezeit|reading time|temps de lecture|tiempo de lectura|thời gian đọc)\W*\d+\s*\w*"
    r"|\d+\s*(?:min|minute|minutes|minuten|minutos|minuti|minut|phút)\.?"
    r"(?:\s+(?:read|reading|lesezeit|lesen|de lectura|de lecture|di lettura|czytania|đọc))?"
    # a link back to the list the article was opened from: "Zurück zu allen Meldungen"
    r"|(?:back|zurück|retour|volver|torna|quay lại|trở về)\s+(?:to|zu[rm]?|à|au|aux|a|al|alla|về)"
    r"\s[^.!?]{1,40})"
    r"\W*$",
    re.IGNORECASE,
)
# A line of the article's taxonomy: a label ("Kategorie:", "Themen:", "Tags:") and its terms.
TAXONOMY_LINE = re.compile(
    r"^(?:tags?|tagged(?: with)?|categor(?:y|ies)|topics?|filed under|kategorien?|themen"
    r"|schlagw(?:orte|örter)|stichw(?:orte|örter)|catégories?|étiquettes?|mots[- ]clés"
    r"|etiquetas|categorías?|temas|chủ đề|từ khóa|thẻ)\s*:\s*\S",
    re.IGNORECASE,
)
# Overlays the page's scripts open (a modal, a consent layer): never the article, however much
# text they hold, unless the headline is in one.
OVERLAY_NAMES = re.compile(r"modal|popup|(?:^|\s)dialog(?:\s|$)|cookie|consent")
# Content gated for subscribers: a class naming it is the article, not a "subscribe" box.
GATED_CONTENT = re.compile(r"subscriber|paywall|premium|members?-?only|locked-?content")
# A related card: at most this many characters per linked page it shows.
MAX_CARD_CHARS = 400
MAX_CARD_FRAME_CHARS = 150  # a card's text beside its blurb: a headline, a "more" link
# Inside the named article body, a block named like this holding prose is the article continued.
CONTINUATION_NAMES = re.compile(r"read-?more|more-?content|continu|show-?more|expand|truncat")
# Form controls: a region holding them is a form (feedback, sign-up), never the article.
FORM_CONTROLS = ("input", "textarea", "select")
# A link that leads nowhere (`#`, `javascript:`) with a label this long is content, not a link.
IN_PAGE_LABEL_CHARS = 25
IN_PAGE_HREF = re.compile(r"^\s*javascript:\s*(?:void\s*\(\s*0?\s*\)\s*)?;?\s*$", re.IGNORECASE)
# A captioned lead photo before the body block: looked for beside the block and its parents.
LEAD_FIGURE_DEPTH = 2
# Tags whose text is code, never page text.
CODE_TAGS = ("script", "style", "template")
# A ruby annotation: a reading shown above its characters (furigana), not text of its own
# unless the page gives it the parentheses (`<rp>`) that text without ruby shows it in.
ANNOTATION_TAG = "rt"
FALLBACK_TAG = "rp"
# A region holding this share of the page's text is the page, whatever its class says.
PAGE_SHARE = 0.4
# A header, footer, `<noscript>` or `<nav>` holding this share of the page's text is the page
# (broken markup left it open): most of it, not a large share as for classes.
WHOLE_PAGE_SHARE = 0.8
# A `<header>` or `<footer>` holding the headline and this many prose paragraphs is the article
# (an article's own header holds a headline and a standfirst at most).
LANDMARK_TAGS = ("header", "footer", "aside")
NON_LANDMARK_DROP_TAGS = tuple(tag for tag in DROP_TAGS if tag not in LANDMARK_TAGS)
LANDMARK_ARTICLE_PARAGRAPHS = 3
# Sub-headings standing between an article's sections.
SECTION_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# A list whose items each open with a link (teasers: headline, then blurb) scores this share.
TEASER_LIST_WEIGHT = 0.3
# A best block of teaser lists whose other text is less than this share of an article element's
# outside it is no article: the article element is.
TEASER_SHARE = 0.5
# Country domains of countries with one time zone (or, for Brazil and Mexico, the capital's
# time that national media keep): a UTC stamp on such a site is shown in it.
COUNTRY_ZONES = {
    "vn": "Asia/Ho_Chi_Minh", "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich",
    "fr": "Europe/Paris", "it": "Europe/Rome", "nl": "Europe/Amsterdam", "be": "Europe/Brussels",
    "pl": "Europe/Warsaw", "cz": "Europe/Prague", "sk": "Europe/Bratislava",
    "hu": "Europe/Budapest", "dk": "Europe/Copenhagen", "se": "Europe/Stockholm",
    "no": "Europe/Oslo", "fi": "Europe/Helsinki", "gr": "Europe/Athens", "ie": "Europe/Dublin",
    "uk": "Europe/London", "tr": "Europe/Istanbul", "jp": "Asia/Tokyo", "kr": "Asia/Seoul",
    "cn": "Asia/Shanghai", "in": "Asia/Kolkata", "sg": "Asia/Singapore", "th": "Asia/Bangkok",
    "ph": "Asia/Manila", "il": "Asia/Jerusalem", "za": "Africa/Johannesburg",
    "ng": "Africa/Lagos", "ke": "Africa/Nairobi", "eg": "Africa/Cairo",
    "ar": "America/Argentina/Buenos_Aires", "co": "America/Bogota", "pe": "America/Lima",
    "uy": "America/Montevideo", "ve": "America/Caracas", "bo": "America/La_Paz",
    "cu": "America/Havana", "pa": "America/Panama", "cr": "America/Costa_Rica",
    "gt": "America/Guatemala", "hn": "America/Tegucigalpa", "sv": "America/El_Salvador",
    "ni": "America/Managua", "do": "America/Santo_Domingo", "br": "America/Sao_Paulo",
    "mx": "America/Mexico_City",
}  # fmt: skip
