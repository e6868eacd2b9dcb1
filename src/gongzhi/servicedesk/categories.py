"""The categories a sub-district starts with, and who handles each by default."""

from __future__ import annotations

# code, name, handled by, about an asset
DEFAULTS: list[tuple[str, str, str, str]] = [
    ("leak", "房屋渗漏", "company", ""),
    ("ageing-pipe", "老旧管道", "owners_committee", ""),
    ("lift-fault", "电梯故障", "company", "lift"),
    ("lift-monitoring", "电梯监控（云梯）", "company", "lift"),
    ("e-bike-charging", "电瓶车充电", "company", "charger"),
    ("lighting", "公共照明", "company", ""),
    ("sanitation", "环境卫生", "company", ""),
    ("greening", "绿化养护", "company", ""),
    ("security", "安全隐患", "company", ""),
    ("noise", "噪音扰民", "residents_committee", ""),
    ("water-supply", "供水", "organisation", ""),
    ("other", "其他", "residents_committee", ""),
]
