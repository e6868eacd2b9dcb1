from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gongzhi.api"
    label = "gongzhi_api"
    verbose_name = "API"
