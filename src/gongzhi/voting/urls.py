from django.urls import path

from . import views, views_paper

app_name = "voting"

urlpatterns = [
    path("", views.decision_list, name="list"),
    path("new/", views.decision_create, name="create"),
    path("code/<str:code>/", views.vote_with_code, name="code"),
    path("<id:pk>/", views.decision_detail, name="detail"),
    # one view per guarded transition
    path("<id:pk>/act/announce/", views.decision_announce, name="announce"),
    path("<id:pk>/act/open/", views.decision_open, name="open"),
    path("<id:pk>/act/close/", views.decision_close, name="close"),
    path("<id:pk>/act/finalise/", views.decision_finalise, name="finalise"),
    path("<id:pk>/act/extend/", views.decision_extend, name="extend"),
    path("<id:pk>/act/cancel/", views.decision_cancel, name="cancel"),
    path("<id:pk>/act/add-item/", views.item_add, name="add_item"),
    path("<id:pk>/register/", views.register, name="register"),
    path("<id:pk>/register/correct/", views.register_correct, name="register_correct"),
    path("<id:pk>/paper/", views.paper_entry, name="paper"),
    path("<id:pk>/drive/", views.drive, name="drive"),
    path("<id:pk>/drive/visits.pdf", views.visit_list, name="visit_list"),
    path("<id:pk>/drive/canvass/<id:entry_pk>/", views.canvass, name="canvass"),
    path("<id:pk>/print/<id:compound_pk>/", views.print_ballots, name="print"),
    path("<id:pk>/vote/", views.vote, name="vote"),
    path("<id:pk>/vote/receive/", views.receive, name="receive"),
    path("<id:pk>/results/", views.results, name="results"),
    path("<id:pk>/ballots/", views.ballot_list, name="ballots"),
    path("<id:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<id:pk>/deliveries/", views_paper.deliveries, name="deliveries"),
    path(
        "<id:pk>/deliveries/<id:compound_pk>.pdf", views_paper.delivery_list, name="delivery_list"
    ),
    path("<id:pk>/boxes/", views_paper.boxes, name="boxes"),
    path("<id:pk>/count/new/", views_paper.count_start, name="count_start"),
    path("<id:pk>/count/<id:session_pk>/", views_paper.count, name="count"),
    path(
        "<id:pk>/count/<id:session_pk>/tally-sheet.pdf",
        views_paper.tally_sheet,
        name="tally_sheet",
    ),
    path("<id:pk>/scrutiny/", views_paper.scrutiny, name="scrutiny"),
    path("<id:pk>/evidence/<id:evidence_pk>/", views_paper.evidence_file, name="evidence"),
    path("<id:pk>/bundle/", views_paper.bundle, name="bundle"),
    path("<id:pk>/objections/", views_paper.objection_lodge, name="object"),
    path("<id:pk>/trail/", views_paper.trail, name="trail"),
    path("<id:pk>/roll.csv", views.export_roll, name="export_roll"),
    path("<id:pk>/ballots-<id:item_pk>.csv", views.export_ballots, name="export_ballots"),
]
