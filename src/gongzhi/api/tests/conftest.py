from gongzhi.registry.tests.conftest import client_for, world  # noqa: F401
