"""Notice text: only safe HTML survives, personal data is masked."""

from gongzhi.notices.richtext import clean, plain


def test_scripts_handlers_and_foreign_tags_are_removed():
    html = clean(
        '<p onclick="steal()">告示<script>alert(1)</script></p>'
        '<iframe src="https://evil.example"></iframe><a href="javascript:alert(1)">x</a>'
        "<img src=x onerror=alert(1)><style>p{}</style>"
    )
    assert html == '<p>告示</p><a rel="noopener noreferrer">x</a>'


def test_structure_is_kept():
    html = clean('<h2>公示</h2><ul><li>一</li></ul><table><tr><td colspan="2">甲</td></tr></table>')
    assert "<h2>公示</h2>" in html and "<li>一</li>" in html and 'colspan="2"' in html


def test_plain_text_becomes_paragraphs_and_is_escaped():
    assert clean("第一段\n第二行\n\n<第二段> & 其他") == (
        "<p>第一段<br>第二行</p><p>&lt;第二段&gt; &amp; 其他</p>"
    )


def test_id_and_mobile_numbers_are_masked_landlines_kept():
    html = clean(
        "联系人王先生 13812345678，+86 139-1234-5678，身份证 11010519491231002X，电话 021-62345678"
    )
    assert "13812345678" not in html and "138****5678" in html
    assert "139****5678" in html
    assert "11010519491231002X" not in html and "1101**********002X" in html
    assert "021-62345678" in html


def test_plain_strips_tags():
    assert plain("<p>甲<b>乙</b></p>") == "甲乙"
