from django.urls import path

from . import views

app_name = "selection"

urlpatterns = [
    path("", views.index, name="index"),
    path("pool/", views.pool, name="pool"),
    path("custody/new/", views.custody_new, name="custody_new"),
    path("custody/<id:pk>/", views.custody, name="custody"),
    path("custody/<id:pk>/pick/", views.custody_pick, name="custody_pick"),
    path(
        "custody/<id:pk>/handover/<id:item_pk>/",
        views.custody_handover,
        name="custody_handover",
    ),
    path("custody/<id:pk>/extend/", views.custody_extend, name="custody_extend"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<id:pk>/", views.plan, name="plan"),
    # one view per action
    path("plans/<id:pk>/act/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<id:pk>/act/member/", views.panel_member_add, name="panel_member_add"),
    path("plans/<id:pk>/act/open/", views.panel_open, name="panel_open"),
    path("plans/<id:pk>/act/close/", views.panel_close, name="panel_close"),
    path("plans/<id:pk>/act/ranking/", views.ranking_publish, name="ranking_publish"),
    path(
        "plans/<id:pk>/act/presentation/",
        views.presentation_record,
        name="presentation_record",
    ),
    path("plans/<id:pk>/act/contract/", views.contract_record, name="contract_record"),
    path("plans/<id:pk>/bid/", views.bid, name="bid"),
    path("plans/<id:pk>/score/", views.score, name="score"),
    path("plans/<id:pk>/score/declare/", views.score_declare, name="score_declare"),
    path("plans/<id:pk>/ranking/", views.ranking, name="ranking"),
    path("plans/<id:pk>/report.<str:kind>", views.report, name="report"),
    path("contracts/<id:pk>/", views.contract, name="contract"),
]
