"""The roll template clerks download from the import page: Chinese headers, example
rows that import as they are, and a sheet explaining each column."""

from __future__ import annotations

from gongzhi.core.identifiers import id_number_check_character
from gongzhi.core.spreadsheet import Workbook, csv_bytes

from .roll import CHINESE_NAMES, OPTIONAL_COLUMNS, REQUIRED_COLUMNS

ORDER = (
    "compound",
    "building",
    "unit",
    "area",
    "owners",
    "owner_names",
    "phones",
    "id_numbers",
    "status",
    "use",
    "area_source",
    "owner_kinds",
)
assert set(ORDER) == set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)  # noqa: S101


def _id(serial: int) -> str:
    first17 = f"31010519800101{serial:03d}"
    return first17 + id_number_check_character(first17)


# Invented example rows: one owner; co-owners (separated by ;); one buyer with two
# units (the same owner identifier); a developer's unsold unit naming no owner; a shop.
EXAMPLES = [
    [
        "示例小区",
        "1号楼",
        "101",
        "68.52",
        "O-0001",
        "张三",
        "13800000001",
        _id(11),
        "已售",
        "住宅",
        "登记",
        "个人",
    ],
    [
        "示例小区",
        "1号楼",
        "102",
        "68.52",
        "O-0002;O-0003",
        "李四;王五",
        "13800000002;13800000003",
        f"{_id(21)};{_id(31)}",
        "已售",
        "住宅",
        "登记",
        "个人;个人",
    ],
    [
        "示例小区",
        "2号楼",
        "101",
        "90.00",
        "O-0001",
        "张三",
        "13800000001",
        _id(11),
        "已售",
        "住宅",
        "实测",
        "个人",
    ],
    ["示例小区", "2号楼", "102", "90.00", "", "", "", "", "未售", "住宅", "合同", ""],
    [
        "示例小区",
        "",
        "商铺1",
        "45.00",
        "O-0004",
        "某某商贸有限公司",
        "",
        "",
        "已售",
        "商业",
        "登记",
        "单位",
    ],
]

EXPLANATIONS = [
    ("小区", "必填。小区名称；不存在时在所选居民区内新建。"),
    ("楼栋", "选填。按不动产权证书填写，如“1号楼”；各楼栋分别编室号时必须填写。"),
    ("房号", "必填。室号，如“101”；同一小区同一楼栋内不得重复。"),
    ("面积", "必填。专有部分面积（平方米），大于零，最多两位小数。"),
    (
        "业主",
        "必填。业主编号，共有人用“;”分隔；同一编号出现在多行表示同一业主有多套房屋。开发建设单位未售房屋可空。",
    ),
    ("业主姓名", "选填。与业主编号一一对应，用“;”分隔。"),
    ("联系电话", "选填。手机号，与业主编号一一对应。业主凭清册中的手机号和身份证号认领房屋。"),
    (
        "身份证号",
        "选填。按 GB 11643 校验；只保存加密摘要和掩码，不保存原文。请将本列设为“文本”格式。",
    ),
    ("状态", "选填。已售（默认）、未售、未交付。"),
    ("用途", "选填。住宅（默认）、商业、车位。"),
    ("面积来源", "选填。登记（默认）、实测、合同。"),
    ("业主类型", "选填。个人（默认）或单位，与业主编号一一对应。"),
]


def header() -> list[str]:
    return [CHINESE_NAMES[name] for name in ORDER]


def template_csv() -> bytes:
    return csv_bytes([header(), *EXAMPLES])


def template_xlsx() -> bytes:
    book = Workbook()
    roll = book.sheet("清册")
    roll.append(header())
    roll.extend(EXAMPLES)
    roll.text_columns([3, 7, 8])  # rooms, phones and ID numbers stay text
    roll.widths([12, 8, 8, 10, 16, 14, 26, 40, 8, 8, 10, 10])
    notes = book.sheet("说明")
    notes.append(["列", "说明"])
    notes.extend([list(row) for row in EXPLANATIONS])
    notes.widths([12, 90])
    return book.bytes()
