from gongzhi.core.sorting import natural_key


def test_buildings_and_units_sort_as_people_read_them():
    labels = ["10号楼", "2号楼", "1号楼", "商铺", "1-1001", "1-201", "1-101"]
    assert sorted(labels, key=natural_key) == [
        "1-101",
        "1-201",
        "1-1001",
        "1号楼",
        "2号楼",
        "10号楼",
        "商铺",
    ]
