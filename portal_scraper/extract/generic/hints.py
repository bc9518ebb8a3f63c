"""Hint data for the generic profile: the words, patterns and selectors pages are read by."""

from __future__ import annotations

import re

from lxml import etree
from lxml.cssselect import CSSSelector

# Elements that never hold article text.
DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed",
    "button", "input", "select", "textarea", "nav", "aside", "link", "meta", "map", "dialog",
)  # fmt: skip
# The name hints below match lowercased class/id names (a case-blind regex is ~3x slower).
# Regions whose class or id says they are not the article.
BOILERPLATE = re.compile(
    r"comment|share|sharing|social|related|sidebar|side-bar|breadcrumb|menu|navbar"
    r"|\bnav\b|footer|masthead|promo(?!ted)|advert|\bads?\b|\bad-|-ad\b|sponsor|newsletter|subscri"
    r"|signup|sign-up|cookie|consent|popup|modal|banner|\btags?\b|toolbar|pagination|pager"
    r"|rating|recommend|more-stories|read-?more|outbrain|taboola|disqus|author-?bio|login"
    r"|trending|most-?read|most-?popular|lien-?quan|tin-?khac|xem-?them"
    r"|binh-?luan|print|tooltip|skip"
    # Hidden by a utility class (not "hidden-xs": that shows on large screens).
    r"|(?:^|\s)(?:hidden|is-hidden|d-none|visually-hidden|sr-only|screen-reader-text)(?:\s|$)"
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
)
BODY_SELECTOR = CSSSelector("[itemprop='articleBody'], article")
SUMMARY_HINT = re.compile(
    r"sapo|summary|\blead\b|standfirst|description|excerpt|chapeau|\bintro|teaser|\bdeck\b"
    r"|subtitle|sub-?head|tom-?tat"
)
DATE_HINT = re.compile(r"date|time|publish|posted|ngay|dateline|byline|meta|info")
AUTHOR_SELECTOR = CSSSelector(
    "[rel='author'], [itemprop='author'], [class*='author'], [class*='byline']"
)
FOOTER_LABEL = re.compile(
    r"cơ quan chủ quản|địa chỉ|trụ sở|điện thoại|fax|e-?mail|chịu trách nhiệm|biên tập", re.I
)
TIME_SELECTOR = CSSSelector("time[datetime]")
MICROFORMAT_DATES = CSSSelector(
    ".published[title], .updated[title], .entry-date[title], .dtstamp[title]"
)
# Years a web page's publication date can plausibly have.
MIN_YEAR, MAX_YEAR = 1995, 2035
# A line that is only such a phrase ("Xem thêm:", "Advertisement") is chrome, a sentence is not.
MAX_JUNK_LINE_CHARS = 30
JUNK_LINE = re.compile(
    r"^(advertisement|anzeige|publicité|werbung|share( this)?( article)?|read more|xem thêm"
    r"|tin liên quan|bài liên quan|continue reading|sign up|subscribe|follow us|related"
    r"|click here|bấm vào đây|in bài|print|email|facebook|twitter)\b",
    re.IGNORECASE,
)
AUTHOR_PREFIX = re.compile(
    r"^(?:bài và ảnh|tin và ảnh|tin, ảnh|post author by|posted by|written by|published by"
    r"|eingestellt von|veröffentlicht von|geschrieben von|verfasst von|publié par|écrit par"
    r"|publicado por|escrito por|pubblicato da|scritto da|tác giả|người viết|by|bởi|von|vom"
    r"|par|por|di|da|door|text|autor|autorin|author|auteur|reporter|bài|tin)"
    # "Veröffentlicht vonChris Jung": a capitalized name may follow without a space.
    r"\s*[:\-–]?(?:\s+|(?=(?-i:[A-ZÀ-ÝĐ])))",
    re.IGNORECASE,
)
# Labels and words a byline element holds that are not a name.
NOT_A_NAME = re.compile(
    r"^(?:by|von|par|posted on|published|publiziert am|veröffentlicht am|auteurs?|autor(?:in|en)?"
    r"|authors?|redaktion|admin|wordpressadmin|staff|unknown|anonymous"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$",
    re.IGNORECASE,
)
NOT_AUTHOR = re.compile(r"^(theo|nguồn|source|quelle|ảnh|photo|foto)\b", re.IGNORECASE)
VIEWS_TEXT = etree.XPath(
    ".//text()[contains(., 'ượt') or contains(., 'ƯỢT') or contains(., 'views') "
    "or contains(., 'Views') or contains(., 'VIEWS')]"
)
VIEWS = re.compile(
    r"(?:lượt người xem|lượt xem|số lượt xem|lượt đọc|views?)\s*:?\s*([\d.,]+)", re.I
)
# What every VIEWS match ends with, composed or not (the page text is not NFC yet).
VIEWS_ANYWHERE = re.compile(r"(?:xem|đ(?:ọ|o\u0323)c|views?)\s*:?\s*\d")
FILE_LINK = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|zip|rar|7z|odt|ods)(?:$|\?)", re.IGNORECASE)
ARTICLE_LINK = re.compile(r"\d{4,}|[\w]+-[\w]+-[\w]+|dispform\.aspx\?id=\d+", re.IGNORECASE)
NEXT_PAGE = re.compile(r"^(next|tiếp|trang sau|sau|»|›|>|weiter|suivant)\b", re.IGNORECASE)
WORD = re.compile(r"\w+")
HAS_TIME = re.compile(r"\d{1,2}[:hg]\d{2}")
SHAREPOINT_ITEM = re.compile(r"/(?:DispForm|ViewForm)\.aspx\?", re.IGNORECASE)
URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»·]\s+|\s+::\s+")
# Paragraph-like elements whose text counts toward their ancestors' scores.
PARAGRAPH_TAGS = ("p", "pre", "blockquote", "td", "li", "div", "section", "font", "span")
MIN_PARAGRAPH_CHARS = 25
# Inline runs count as paragraphs only when long (some editors write a paragraph as one <span>).
MIN_INLINE_PARAGRAPH_CHARS = 80
# Containers whose own text (not their children's) is what counts.
DIRECT_TEXT_TAGS = ("div", "section", "td", "font", "span")
MIN_BODY_CHARS = 80
# Use JSON-LD articleBody when the page's own text is less than this share of it.
STRUCTURED_BODY_SHARE = 0.5
# Widen the region until it holds this share of the page's paragraphs of this length.
SPREAD_SHARE = 0.4
SPREAD_PARAGRAPH_CHARS = 150
MAX_DATE_LINE_CHARS = 80
CAPTION_NAMES = re.compile(r"caption|credit|copyright|photo-?desc|image-?desc|getty")
ERROR_TITLE = re.compile(
    r"^(404|403|500|error|not found|page not found|sorry, something went wrong|access denied"
    r"|không tìm thấy|trang không tồn tại|lỗi|seite nicht gefunden|page introuvable)\b",
    re.IGNORECASE,
)
ERROR_SELECTOR = CSSSelector("#ms-error-body, .ms-pageErrorBody")
# A field element (headline, date line, byline, lead) longer than this may hold body text too.
MAX_FIELD_CHARS = 300
# Elements a page names (class, id, rel, itemprop): where the name hints above are looked for.
NAMED_PREDICATE = "@class or @id or @rel or @itemprop"
NAMED = etree.XPath(f".//*[{NAMED_PREDICATE}]")
NAMED_BEFORE = etree.XPath(
    f"count(preceding::*[{NAMED_PREDICATE}]) + count(ancestor::*[{NAMED_PREDICATE}])"
)
# Elements with a class or id, and those that may be hidden: what pruning looks at.
MARKED = etree.XPath(".//*[@class or @id or @style or @hidden or @aria-hidden]")
# A link label shorter than this is no headline ("Xem thêm", "»", a date).
LISTING_TITLE_MIN_CHARS = 15
# The body's end. A paragraph this long (own text, few links) is article prose.
MIN_PROSE_CHARS = 80
# Evidence that a block after the article's last paragraph is page chrome, not a closing line:
# a web address, a phone number (hotlines), a bracketed tag alone ("(TTXVN)", "[Reuters]").
TAIL_URL = re.compile(r"https?://|www\.")
TAIL_PHONE = re.compile(r"(?<!\d)(?:\+?\d{2,4}[ .\-]?)?\d{3,4}[ .\-]\d{3}[ .\-]?\d{3,4}(?!\d)")
TAIL_TAG = re.compile(r"^[(\[][^()\[\]]{1,40}[)\]]$")
TAIL_URL_TEXT = re.compile(r"(?:https?://|www\.)\S*")
# A line that is only an interface string (a loader, a prompt's buttons) is no body text.
UI_LINE = re.compile(
    r"^(?:loading|đang tải|please wait|remind me (?:tomorrow|later)|not now|maybe later|no thanks"
    r"|nhắc tôi sau|để sau|skip ad|bỏ qua quảng cáo|chargement|wird geladen|laden|cargando)"
    r"\W*$",
    re.IGNORECASE,
)
# Content gated for subscribers: a class naming it is the article, not a "subscribe" box.
GATED_CONTENT = re.compile(r"subscriber|paywall|premium|members?-?only|locked-?content")
# A related card: at most this many characters per linked page it shows.
MAX_CARD_CHARS = 400
# Inside the named article body, a block named like this holding prose is the article continued.
CONTINUATION_NAMES = re.compile(r"read-?more|more-?content|continu|show-?more|expand|truncat")
# Form controls: a region holding them is a form (feedback, sign-up), never the article.
FORM_CONTROLS = ("input", "textarea", "select")
# A link that leads nowhere (`#`, `javascript:`) with a label this long is content, not a link.
IN_PAGE_LABEL_CHARS = 25
IN_PAGE_HREF = re.compile(r"^\s*javascript:\s*(?:void\s*\(\s*0?\s*\)\s*)?;?\s*$", re.IGNORECASE)
