from django.urls import path

from . import views

app_name = "selection"

urlpatterns = [
    path("", views.index, name="index"),
    path("pool/", views.pool, name="pool"),
    path("custody/new/", views.custody_new, name="custody_new"),
    path("custody/<int:pk>/", views.custody, name="custody"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/act/<str:action>/", views.plan_action, name="plan_action"),
    path("plans/<int:pk>/bid/", views.bid, name="bid"),
    path("plans/<int:pk>/score/", views.score, name="score"),
    path("plans/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("plans/<int:pk>/report.<str:kind>", views.report, name="report"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
]
