"""What bylines and people's names look like: the words around a name, the names of offices,
job titles and name particles (the vocabulary `bylines` reads names with)."""

from __future__ import annotations

import re

AUTHOR_PREFIX = re.compile(
    r"^(?:bài và ảnh|tin và ảnh|tin, ảnh|post author by|posted by|written by|published by"
    r"|eingestellt von|veröffentlicht von|geschrieben von|verfasst von|publié par|écrit par"
    r"|ein beitrag von|ein artikel von|story by|reporting by|texto de|texte de"
    r"|publicado por|escrito por|pubblicato da|scritto da|tác giả|người viết|by|bởi|von|vom"
    r"|propos recueillis par|entretien réalisé par|interview:|interview von|interview by"
    # "Eine Kritik von", "A review by", "Une critique de": a piece's kind, then its author
    r"|eine?\s+\w+\s+von|an?\s+\w+\s+by|une?\s+\w+\s+(?:de|par)"
    r"|par|por|di|da|door|text|autor|autorin|author|auteur|reporter|bài|tin)"
    # "Veröffentlicht vonChris Jung": a capitalized name may follow without a space.
    r"\s*[:\-–]?(?:\s+|(?=(?-i:[A-ZÀ-ÝĐ])))",
    re.IGNORECASE,
)
# Labels and words a byline element holds that are not a name.
NOT_A_NAME = re.compile(
    r"^(?:by|von|par|posted(?: on)?|published|publiziert(?: am)?|veröffentlicht(?: am)?|publié"
    r"|publicado|updated|aktualisiert|auteurs?|autor(?:in|en)?"
    r"|authors?|redaktion|admin|wordpressadmin|staff|unknown|anonymous"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$",
    re.IGNORECASE,
)
NOT_AUTHOR = re.compile(r"^(theo|nguồn|source|quelle|ảnh|photo|foto)\b", re.IGNORECASE)
# Vietnamese surnames: "Theo Phạm Trường" names a person, "Theo Tiền Phong" a paper.
VN_SURNAMES = frozenset(
    re.findall(
        r"\S+",
        "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh đào trịnh"
        " mai trương lưu lương tạ hà quách cao chu lâm kiều tô thái triệu văn vương doãn khổng"
        " mạc đoàn tăng lò nông la kim hứa từ thân tôn",
    )
)
# An office or board ("Ban Tuyên giáo và Dân vận") signs as one author: no split on "và".
OFFICE_PREFIX = re.compile(
    r"^(?:ban|sở|phòng|văn phòng|trung tâm|hội|ủy ban|uỷ ban|ubnd|cục|chi cục|vụ|bộ|đoàn"
    r"|công ty|trường|viện|khoa|đảng ủy|đảng uỷ|huyện ủy|tỉnh ủy|thành ủy|báo|đài|tạp chí)\s",
    re.IGNORECASE,
)
# Job titles before a name ("Nhà báo Minh Anh", "PV Minh Anh"), stripped.
ROLE_PREFIX = re.compile(
    r"^(?:nhà báo|phóng viên|pv|ctv|btv|biên tập viên|cộng tác viên|nhóm phóng viên|nhóm pv)"
    r"\.?\s+(?=\S)",
    re.IGNORECASE,
)
# Words of a job title, not of a name ("Senior Staff Technologist").
ROLE_WORDS = re.compile(
    r"\b(?:technologist|editor|correspondent|reporter|writer|journalist|columnist|contributor"
    r"|staff|senior|chief|director|manager|engineer|analyst|producer|photographer|editorial"
    r"|redakteur(?:in)?|korrespondent(?:in)?|journalistin|chefredakteur(?:in)?|rédacteur"
    r"|rédactrice|correspondant|corresponsal|periodista|redactora?|phóng viên|nhà báo|biên tập)\b",
    re.IGNORECASE,
)
# Name particles that stay lowercase inside a person's name.
NAME_PARTICLES = frozenset(
    re.findall(r"\S+", "van von de der den da di du la le del della dos das do ter ten zu bin y e")
)
