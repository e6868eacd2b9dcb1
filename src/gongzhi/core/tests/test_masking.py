import pytest

from gongzhi.core.masking import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("欧阳娜娜", "欧***"), ("王", "王*"), ("", ""), (" 李四 ", "李*")],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("", ""),
        ("12345", "***45"),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_mask_id_number_hides_birth_date():
    masked = mask_id_number("11010519491231002X")
    assert masked == "1101**********002X"
    assert "19491231" not in masked
