"""The portal footer ("Cơ quan chủ quản: ...") as the record's `portal` object."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from portal_scraper.normalize.text import clean_text

_LABELLED = re.compile(r"^(?P<label>[^:：]{1,60}?)\s*[:：]\s*(?P<value>.*)$")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
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
    "phones": ("điện thoại", "đt", "đthoại", "tel", "phone", "số điện thoại"),
    "faxes": ("fax",),
    "emails": ("email", "e-mail", "thư điện tử", "mail"),
    "submission_emails": ("email nhận bài", "e-mail nhận bài", "email gửi bài", "gửi bài"),
}
_FIELD_BY_LABEL = {label: name for name, labels in LABELS.items() for label in labels}


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
    for line in lines:
        for segment in (clean_text(s) for s in line.split("|")):
            if not segment:
                continue
            seen_any = True
            match = _LABELLED.match(segment)
            if not match or not match.group("value").strip():
                if portal["name"] is None and not match:
                    portal["name"] = segment
                continue
            label, value = clean_text(match.group("label")), clean_text(match.group("value"))
            fields: dict[str, str] = portal["fields"]
            fields[label] = f"{fields[label]} | {value}" if label in fields else value
            _assign(portal, _FIELD_BY_LABEL.get(_label_key(label)), value)
    return portal if seen_any else None


def _assign(portal: dict[str, Any], name: str | None, value: str) -> None:
    if name is None:
        return
    if name in ("emails", "submission_emails"):
        portal[name].extend(e for e in _EMAIL.findall(value) if e not in portal[name])
    elif name in ("phones", "faxes"):
        portal[name].extend(p for p in _LIST_SEPARATOR.split(value) if p)
    elif name == "editor_in_chief":
        person, _, office = _split_once(_TITLE_SEPARATOR, value)
        portal["editor_in_chief"] = portal["editor_in_chief"] or person
        portal["editor_in_chief_title"] = portal["editor_in_chief_title"] or office
    elif portal[name] is None:
        portal[name] = value


def _split_once(pattern: re.Pattern[str], value: str) -> tuple[str, str, str | None]:
    match = pattern.search(value)
    if not match:
        return value, "", None
    return value[: match.start()].strip(), match.group(0), value[match.end() :].strip() or None
