"""Image captions on Vietnamese news pages: credits, lazy-loaded images, photo stories."""

from __future__ import annotations

import pytest

from portal_scraper.normalize.captions import split_credit


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        # A credit that names no one is the credit itself.
        (
            "Giao diện cửa hàng trực tuyến - Ảnh chụp màn hình",
            ("Giao diện cửa hàng trực tuyến", "Ảnh chụp màn hình"),
        ),
        ("Cổng làng cũ (Ảnh tư liệu)", ("Cổng làng cũ", "Ảnh tư liệu")),
        ("Cổng làng cũ. Ảnh minh họa", ("Cổng làng cũ.", "Ảnh minh họa")),
        # Labelled credits.
        ("Cổng làng cũ. Ảnh tư liệu: Bảo tàng tỉnh", ("Cổng làng cũ.", "Bảo tàng tỉnh")),
        ("Đội tuyển ăn mừng. (Ảnh: TTXVN)", ("Đội tuyển ăn mừng.", "TTXVN")),
        (
            "Y bác sĩ khám bệnh. Ảnh: Bệnh viện cung cấp",
            ("Y bác sĩ khám bệnh.", "Bệnh viện cung cấp"),
        ),
        ("Lễ khánh thành cầu. Nguồn ảnh: Báo Đồng Khởi", ("Lễ khánh thành cầu.", "Báo Đồng Khởi")),
        ("The new bridge at dusk. Photo: Jane Doe", ("The new bridge at dusk.", "Jane Doe")),
        ("The new bridge at dusk (Photo: Jane Doe)", ("The new bridge at dusk", "Jane Doe")),
        # Credits written without a colon, in other newsrooms' languages.
        (
            "The library closed in 2021. (Photo by Tom Reyes/Riverside Gazette)",
            ("The library closed in 2021.", "Tom Reyes/Riverside Gazette"),
        ),
        ("The bakery on Elm Street. Photo by Ana Ruiz.", ("The bakery on Elm Street.", "Ana Ruiz")),
        ("Vue de Lyon. © Lyon Actu / Archives", ("Vue de Lyon.", "Lyon Actu / Archives")),
        ("Der Marktplatz. Foto von Max Muster", ("Der Marktplatz.", "Max Muster")),
        (
            "Talks in Delhi. Photo by - /AFP via Getty Images",
            ("Talks in Delhi.", "AFP via Getty Images"),
        ),
        ("A photo by the lake shows a swan", ("A photo by the lake shows a swan", None)),
        # "ảnh" inside a sentence is no credit label.
        (
            "Những bức ảnh - kỷ vật của gia đình",
            ("Những bức ảnh - kỷ vật của gia đình", None),
        ),
        ("Bộ sưu tập hình ảnh: gốm cổ", ("Bộ sưu tập hình ảnh: gốm cổ", None)),
        # A long text after "Ảnh:" describes the photo; it names no photographer.
        (
            "Ảnh: Toàn cảnh hội nghị tổng kết công tác năm của tỉnh, với sự tham dự của "
            "lãnh đạo các sở, ban, ngành và địa phương",
            (
                "Ảnh: Toàn cảnh hội nghị tổng kết công tác năm của tỉnh, với sự tham dự của "
                "lãnh đạo các sở, ban, ngành và địa phương",
                None,
            ),
        ),
    ],
)
def test_credit_split_off_caption(caption: str, expected: tuple[str | None, str | None]) -> None:
    assert split_credit(caption) == expected


URL = "https://tin.example.vn/thoi-su/bai-viet-co-anh-12345.html"
GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="
PARAGRAPHS = "".join(
    f"<p>Đoạn văn số {i} của bài viết, có đủ chữ để được tính là nội dung chính của trang, "
    f"gồm nhiều ý, nhiều dấu phẩy, và kết thúc bằng dấu chấm.</p>"
    for i in range(1, 5)
)


def record(body: str, before: str = "") -> dict:
    from portal_scraper.extract import GENERIC, parse_html
    from portal_scraper.record.build import to_record

    html = (
        "<html lang='vi'><head><title>Bài viết có ảnh - Báo Ví Dụ</title></head><body>"
        "<nav><a href='/'>Trang chủ</a> <a href='/thoi-su'>Thời sự</a></nav>"
        f"<div class='main'><h1>Bài viết có ảnh</h1>{before}<div class='content'>{body}</div>"
        "</div><footer><p>Bản quyền thuộc Báo Ví Dụ</p></footer></body></html>"
    )
    raw = GENERIC.extract(URL, parse_html(html))
    return to_record(raw, url=URL, fetched_at="2026-11-20T08:00:00Z", profile=GENERIC).to_dict()


def test_lazy_loaded_images_keep_their_address_and_caption() -> None:
    body = (
        PARAGRAPHS
        # data-src behind a placeholder GIF, with its <noscript> copy
        + f"<figure><img class='lazy' src='{GIF}' data-src='/anh/mot.jpg'>"
        "<noscript><img src='/anh/mot.jpg'></noscript>"
        "<figcaption>Cầu mới bắc qua sông. Ảnh: Minh Trí</figcaption></figure>"
        # no src at all, data-original
         + "<figure><img data-original='/anh/hai.jpg'><figcaption>Bến phà cũ (Ảnh tư liệu)"
        "</figcaption></figure>"
        # the largest srcset candidate
         + f"<figure><img src='{GIF}' data-srcset='/anh/ba-320.jpg 320w, /anh/ba-960.jpg 960w'>"
        "<figcaption>Chợ nổi buổi sáng</figcaption></figure>"
        # a <picture> whose <source> holds the address
         + "<figure><picture><source srcset='/anh/bon.webp 1x, /anh/bon@2x.webp 2x'>"
        f"<img src='{GIF}'></picture><figcaption>Vườn cây ăn trái - Ảnh chụp màn hình"
        "</figcaption></figure>"
        # data-lazy-src, caption paragraph under the image
         + f"<p style='text-align:center'><img src='{GIF}' data-lazy-src='/anh/nam.jpg'></p>"
        "<p style='text-align:center'><em>Lễ hội dừa. Ảnh: Ngọc Lan</em></p>"
        + "<p>Đoạn cuối của bài viết, vẫn là nội dung chính, có dấu phẩy, và dấu chấm.</p>"
    )
    got = record(body)
    assert [(i["url"], i["caption"], i["credit"]) for i in got["images"]] == [
        ("https://tin.example.vn/anh/mot.jpg", "Cầu mới bắc qua sông.", "Minh Trí"),
        ("https://tin.example.vn/anh/hai.jpg", "Bến phà cũ", "Ảnh tư liệu"),
        ("https://tin.example.vn/anh/ba-960.jpg", "Chợ nổi buổi sáng", None),
        ("https://tin.example.vn/anh/bon@2x.webp", "Vườn cây ăn trái", "Ảnh chụp màn hình"),
        ("https://tin.example.vn/anh/nam.jpg", "Lễ hội dừa.", "Ngọc Lan"),
    ]
    assert '<img src="https://tin.example.vn/anh/mot.jpg">' in got["body_html"]
    assert "data:image" not in got["body_html"]
    assert "Cầu mới" not in got["body_text"]


def _figure(n: int, caption: str) -> str:
    return f"<figure><img src='/anh/{n}.jpg'><figcaption>{caption}</figcaption></figure>"


STORY_CAPTIONS = [
    "Cánh đồng lúa chín vàng ở xã ven sông, nơi người dân đang vào vụ gặt cuối mùa.",
    "Máy gặt đập liên hợp làm việc từ sáng sớm để kịp thu hoạch trước cơn mưa.",
    "Lúa sau khi gặt được phơi ngay trên đường làng, kín cả hai bên lề.",
    "Thương lái đến tận ruộng thu mua, giá lúa năm nay cao hơn năm trước.",
    "Nông dân phấn khởi vì một vụ mùa bội thu sau nhiều tháng vất vả. Ảnh: Minh Trí",
]


def test_a_photo_story_is_an_article_whose_body_is_its_captions() -> None:
    body = "".join(_figure(n, c) for n, c in enumerate(STORY_CAPTIONS))
    got = record(body)
    assert got["title"] == "Bài viết có ảnh"
    paragraphs = got["body_text"].split("\n\n")
    assert paragraphs[0] == STORY_CAPTIONS[0]
    assert paragraphs[-1] == "Nông dân phấn khởi vì một vụ mùa bội thu sau nhiều tháng vất vả."
    assert len(paragraphs) == len(STORY_CAPTIONS)
    assert [i["credit"] for i in got["images"]] == [None, None, None, None, "Minh Trí"]


def test_a_few_short_captions_are_no_article() -> None:
    from portal_scraper.extract import NotAnArticle

    with pytest.raises(NotAnArticle, match=r"too little text|no block"):
        record(_figure(1, "Ảnh một") + _figure(2, "Ảnh hai") + _figure(3, "Ảnh ba"))


def test_a_headline_and_a_few_hundred_characters_are_an_article() -> None:
    body = (
        "<p>Sáng nay, xã tổ chức lễ khánh thành cây cầu mới bắc qua kênh, nối hai ấp.</p>"
        "<p>Cây cầu dài 30 mét, rộng 3,5 mét, do người dân và nhà nước cùng góp vốn xây.</p>"
    )
    got = record(body)
    assert got["body_text"].startswith("Sáng nay, xã tổ chức")
    assert got["body_text"].endswith("cùng góp vốn xây.")


def test_a_picture_in_a_block_named_for_captions_keeps_the_caption_after_it() -> None:
    body = (
        PARAGRAPHS + "<div class='photo'><p class='no-caption'><picture>"
        "<source type='image/webp' srcset='/anh/sau.webp'><img src='/anh/sau.jpg'></picture></p>"
        "<span class='photo-caption'>Người dân xem pháo hoa bên bờ sông "
        "<span class='credit'>(Photo: Hoàng Hà)</span></span></div>"
        + "<p>Đoạn cuối của bài viết, vẫn là nội dung chính, có dấu phẩy, và dấu chấm.</p>"
    )
    got = record(body)
    assert [(i["url"], i["caption"], i["credit"]) for i in got["images"]] == [
        ("https://tin.example.vn/anh/sau.jpg", "Người dân xem pháo hoa bên bờ sông", "Hoàng Hà"),
    ]
    assert "pháo hoa" not in got["body_text"]


def test_a_block_named_caption_holding_the_image_gives_its_text_to_the_figure() -> None:
    body = (
        PARAGRAPHS
        + "<p><span class='image-caption'><a href='/anh/lon.jpg'><img src='/anh/ban-do.jpg'></a>"
        "<span style='display:block'>Bản đồ quy hoạch khu đô thị mới. (Ảnh: Sở Xây dựng)</span>"
        "</span></p>"
        + "<p>Đoạn cuối của bài viết, vẫn là nội dung chính, có dấu phẩy, và dấu chấm.</p>"
    )
    got = record(body)
    assert [(i["url"], i["caption"], i["credit"]) for i in got["images"]] == [
        (
            "https://tin.example.vn/anh/ban-do.jpg",
            "Bản đồ quy hoạch khu đô thị mới.",
            "Sở Xây dựng",
        ),
    ]
    assert "Bản đồ" not in got["body_text"]
    assert got["body_text"].endswith("và dấu chấm.")


def test_a_short_plain_line_under_an_image_is_its_caption_a_sentence_is_not() -> None:
    body = (
        PARAGRAPHS + "<div class='media'><div><img src='/anh/bay.jpg'></div>"
        "<div>Đoàn đua xe đạp đi qua cầu Rạch Miễu</div></div>"
        + "<div class='media'><div><img src='/anh/tam.jpg'></div>"
        "<div>Sau chặng đua, các vận động viên nghỉ ngơi tại thị xã và tiếp tục vào sáng mai.</div>"
        "</div>" + "<p>Đoạn cuối của bài viết, vẫn là nội dung chính, có dấu phẩy, và dấu chấm.</p>"
    )
    got = record(body)
    assert [(i["url"].rsplit("/", 1)[1], i["caption"]) for i in got["images"]] == [
        ("bay.jpg", "Đoàn đua xe đạp đi qua cầu Rạch Miễu"),
        ("tam.jpg", None),
    ]
    assert "cầu Rạch Miễu" not in got["body_text"]
    assert "các vận động viên nghỉ ngơi" in got["body_text"]


def test_an_image_written_only_in_noscript_is_kept() -> None:
    body = (
        PARAGRAPHS + "<figure><div class='lazy-image' data-srcset='/anh/chin-480.jpg 480w'></div>"
        "<noscript><img src='/anh/chin.jpg' alt='Chợ nổi'></noscript>"
        "<figcaption>Ghe thuyền họp chợ từ tờ mờ sáng. Ảnh: Ngọc Lan</figcaption></figure>"
        # an advert's pixel: no lazy loader beside it
        + "<div><span>Quảng cáo</span><noscript><img src='/qc/pixel.gif'></noscript></div>"
        + "<p>Đoạn cuối của bài viết, vẫn là nội dung chính, có dấu phẩy, và dấu chấm.</p>"
    )
    got = record(body)
    assert [(i["url"], i["caption"], i["credit"]) for i in got["images"]] == [
        ("https://tin.example.vn/anh/chin.jpg", "Ghe thuyền họp chợ từ tờ mờ sáng.", "Ngọc Lan"),
    ]


def test_a_page_whose_only_text_is_its_lead_is_an_article_with_the_lead_as_its_text() -> None:
    # A video page: the headline, the player, and a description in a lead-named block.
    lead = (
        "<p class='description'>Người dân xã ven sông chuẩn bị thu hoạch lúa trước mùa mưa, "
        "máy gặt làm việc từ sáng sớm; nhiều hộ thuê thêm nhân công để kịp giao lúa cho "
        "thương lái ngay trong tuần này.</p>"
    )
    got = record("<div class='player'><video src='/v/1.mp4'></video></div>", before=lead)
    assert got["body_text"].startswith("Người dân xã ven sông") and got["summary"] is None


def test_a_short_blurb_under_a_headline_is_no_article() -> None:
    from portal_scraper.extract import NotAnArticle

    lead = "<p class='description'>Tin tức mới nhất về nông nghiệp và nông thôn.</p>"
    with pytest.raises(NotAnArticle):
        record("<div class='player'></div>", before=lead)
