from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.home_for_user, name="home_for_user"),
    path("compounds/", views.compound_list, name="compound_list"),
    path("compounds/<id:pk>/", views.compound_detail, name="compound_detail"),
    path("buildings/<id:pk>/", views.building_detail, name="building_detail"),
    path("units/<id:pk>/", views.unit_detail, name="unit_detail"),
    path("my-units/", views.my_units, name="my_units"),
    path("import/", views.roll_import_view, name="roll_import"),
    path("import/template.csv", views.roll_template_csv, name="roll_template_csv"),
    path("import/template.xlsx", views.roll_template_xlsx, name="roll_template_xlsx"),
]
