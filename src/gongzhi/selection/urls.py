from django.urls import path

from . import views

app_name = "selection"

urlpatterns = [
    path("", views.index, name="index"),
    path("pool/", views.pool, name="pool"),
    path("custody/new/", views.custody_new, name="custody_new"),
    path("custody/<id:pk>/", views.custody, name="custody"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<id:pk>/", views.plan, name="plan"),
    path("plans/<id:pk>/act/<str:action>/", views.plan_action, name="plan_action"),
    path("plans/<id:pk>/bid/", views.bid, name="bid"),
    path("plans/<id:pk>/score/", views.score, name="score"),
    path("plans/<id:pk>/ranking/", views.ranking, name="ranking"),
    path("plans/<id:pk>/report.<str:kind>", views.report, name="report"),
    path("contracts/<id:pk>/", views.contract, name="contract"),
]
