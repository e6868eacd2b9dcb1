"""The shared download response: saved under its name, or shown inline."""

from gongzhi.core.views import XLSX, download


def test_a_download_is_saved_under_its_name():
    response = download(b"%PDF-1.4", "tally-sheet-3-1.pdf", "application/pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="tally-sheet-3-1.pdf"'
    assert response.content == b"%PDF-1.4"


def test_an_inline_file_and_a_chinese_name():
    assert (
        download(b"", "notice-1.pdf", "application/pdf", inline=True)["Content-Disposition"]
        == 'inline; filename="notice-1.pdf"'
    )
    header = download(b"", "评审报告.xlsx", XLSX)["Content-Disposition"]
    assert header == "attachment; filename*=utf-8''%E8%AF%84%E5%AE%A1%E6%8A%A5%E5%91%8A.xlsx"
