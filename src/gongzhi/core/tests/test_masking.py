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


def test_mask_text_masks_ids_and_mobiles_in_free_text():
    from gongzhi.core.masking import mask_text

    text = "王先生 13812345678 或 +86 139 1234 5678，身份证 11010519491231002X，办公室 021-62345678"
    masked = mask_text(text)
    assert masked == (
        "王先生 138****5678 或 139****5678，身份证 1101**********002X，办公室 021-62345678"
    )


def test_mask_text_leaves_other_long_numbers():
    from gongzhi.core.masking import mask_text

    # a 12-digit number is no mobile; an 18-digit number with an impossible date is no ID
    assert mask_text("合同编号 201812345678，账号 110105194913310021") == (
        "合同编号 201812345678，账号 110105194913310021"
    )
