"""The portal footer ("Cơ quan chủ quản: ...") as the record's `portal` object."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from portal_scraper.normalize.text import clean_text

_LABELLED = re.compile(r"^(?P<label>[^:：]{1,60}?)\s*[:：]\s*(?P<value>.*)$")
# Starts only where a run of address characters starts: a long run without "@" is one try, not
# one per character (a 50,000-character word took seconds).
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_LIST_SEPARATOR = re.compile(r"\s*[;,]\s*|\s+[-–]\s+|\s+/\s+|\s+(?:hoặc|và)\s+")
_TITLE_SEPARATOR = re.compile(r"\s+[-–—]\s+|\s*,\s+")

LABELS: dict[str, tuple[str, ...]] = {
    "agency": ("cơ quan chủ quản", "đơn vị chủ quản"),
    "address": ("trụ sở", "địa chỉ", "trụ sở chính"),
    "editor_in_chief": (
        "trưởng ban biên tập",
        "chịu trách nhiệm chính",
        "tổng biên tập",
        "chịu trách nhiệm nội dung",
    ),
    "phones": (
        "điện thoại",
        "đt",
        "đthoại",
        "tel",
        "phone",
        "số điện thoại",
        "hotline",
        "đường dây nóng",
    ),
    "faxes": ("fax",),
    "emails": ("email", "e-mail", "thư điện tử", "mail"),
    "submission_emails": ("email nhận bài", "e-mail nhận bài", "email gửi bài", "gửi bài"),
}
_FIELD_BY_LABEL = {label: name for name, labels in LABELS.items() for label in labels}
# A known label inside a line starts a new segment ("...Hồ Chí Minh Địa chỉ: 1 Đường A",
# "Điện thoại: 0275.3822.111 - Fax: 0275.3822.112").
_KNOWN_LABELS = "|".join(
    re.escape(k) for k in sorted(_FIELD_BY_LABEL, key=len, reverse=True) if len(k) > 3 or k == "fax"
)
_INNER_LABEL = re.compile(
    rf"(?<=\S)\s+(?:[-–|,;]\s+)?(?=(?:{_KNOWN_LABELS}|giấy phép)\s*[:：])", re.IGNORECASE
)
_HONORIFIC = re.compile(r"^(?:ông|bà|mr\.?|mrs\.?|ms\.?)\s+(?=\S)", re.IGNORECASE)
# An unlabelled line that reads as a street address ("Tầng 17, ...", "..., phường X, ...").
_ADDRESS = re.compile(
    r"^(?:tầng|số|lô|tòa nhà|toà nhà|nhà số)\s|,\s*(?:phường|xã|quận|huyện|thị xã|thành phố|tỉnh"
    r"|tp\.|p\.|q\.)\s*\S",
    re.IGNORECASE,
)


def _label_key(label: str) -> str:
    return unicodedata.normalize("NFC", clean_text(label)).casefold()


def parse_footer(lines: list[str]) -> dict[str, Any] | None:
    """Map footer lines to the `portal` object; `None` when no line says anything."""
    portal: dict[str, Any] = {
        "name": None,
        "agency": None,
        "address": None,
        "editor_in_chief": None,
        "editor_in_chief_title": None,
        "phones": [],
        "faxes": [],
        "emails": [],
        "submission_emails": [],
        "fields": {},
    }
    seen_any = False
    address: list[str] = []  # unlabelled address lines, one address
    for line in lines:
        for segment in (clean_text(s) for s in _INNER_LABEL.sub(" | ", line).split("|")):
            if not segment:
                continue
            seen_any = True
            match = _LABELLED.match(segment)
            if not match or not match.group("value").strip():
                if match:
                    continue
                if _ADDRESS.search(segment) or (address and address[-1].endswith(",")):
                    if not address or address[-1].endswith(","):
                        address.append(segment)
                elif portal["name"] is None and not re.search(r"\d|©", segment):
                    portal["name"] = segment  # no "© 2010 - 2026", no licence line
                continue
            label, value = clean_text(match.group("label")), clean_text(match.group("value"))
            fields: dict[str, str] = portal["fields"]
            fields[label] = f"{fields[label]} | {value}" if label in fields else value
            _assign(portal, _FIELD_BY_LABEL.get(_label_key(label)), value, label)
    portal["address"] = portal["address"] or (" ".join(address) if address else None)
    return portal if seen_any else None


def _assign(portal: dict[str, Any], name: str | None, value: str, label: str) -> None:
    if name is None:
        return
    if name in ("emails", "submission_emails"):
        portal[name].extend(e for e in _EMAIL.findall(value) if e not in portal[name])
    elif name in ("phones", "faxes"):
        for part in _LIST_SEPARATOR.split(value):
            number = re.sub(r"^[^\d(+:：]*[:：]\s*", "", part)  # "Hotline: 0909 ..."
            if re.search(r"\d", number) and number not in portal[name]:
                portal[name].append(number)
    elif name == "editor_in_chief":
        person, _, office = _split_once(_TITLE_SEPARATOR, value)
        if office is None and _label_key(label).startswith("chịu trách nhiệm"):
            office = label  # "Chịu trách nhiệm nội dung: Ông X": the label is the role
        portal["editor_in_chief"] = portal["editor_in_chief"] or _HONORIFIC.sub("", person)
        portal["editor_in_chief_title"] = portal["editor_in_chief_title"] or office
    elif portal[name] is None:
        portal[name] = value


def _split_once(pattern: re.Pattern[str], value: str) -> tuple[str, str, str | None]:
    match = pattern.search(value)
    if not match:
        return value, "", None
    return value[: match.start()].strip(), match.group(0), value[match.end() :].strip() or None
