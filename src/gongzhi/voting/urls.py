from django.urls import path

from .views import ballots, count, decisions, paper, register

app_name = "voting"

urlpatterns = [
    path("", decisions.decision_list, name="list"),
    path("new/", decisions.decision_create, name="create"),
    path("code/<str:code>/", ballots.vote_with_code, name="code"),
    path("<id:pk>/", decisions.decision_detail, name="detail"),
    # one view per guarded transition
    path("<id:pk>/act/announce/", decisions.decision_announce, name="announce"),
    path("<id:pk>/act/open/", decisions.decision_open, name="open"),
    path("<id:pk>/act/close/", decisions.decision_close, name="close"),
    path("<id:pk>/act/finalise/", decisions.decision_finalise, name="finalise"),
    path("<id:pk>/act/extend/", decisions.decision_extend, name="extend"),
    path("<id:pk>/act/cancel/", decisions.decision_cancel, name="cancel"),
    path("<id:pk>/act/add-item/", decisions.item_add, name="add_item"),
    path("<id:pk>/register/", register.register, name="register"),
    path("<id:pk>/register/correct/", register.register_correct, name="register_correct"),
    path("<id:pk>/paper/", ballots.paper_entry, name="paper"),
    path("<id:pk>/drive/", register.drive, name="drive"),
    path("<id:pk>/drive/visits.pdf", register.visit_list, name="visit_list"),
    path("<id:pk>/drive/canvass/<id:entry_pk>/", register.canvass, name="canvass"),
    path("<id:pk>/print/<id:compound_pk>/", ballots.print_ballots, name="print"),
    path("<id:pk>/vote/", ballots.vote, name="vote"),
    path("<id:pk>/vote/receive/", ballots.receive, name="receive"),
    path("<id:pk>/results/", decisions.results, name="results"),
    path("<id:pk>/ballots/", ballots.ballot_list, name="ballots"),
    path("<id:pk>/export.xlsx", register.export_xlsx, name="export_xlsx"),
    path("<id:pk>/deliveries/", paper.deliveries, name="deliveries"),
    path("<id:pk>/deliveries/<id:compound_pk>.pdf", paper.delivery_list, name="delivery_list"),
    path("<id:pk>/boxes/", paper.boxes, name="boxes"),
    path("<id:pk>/count/new/", count.count_start, name="count_start"),
    path("<id:pk>/count/<id:session_pk>/", count.count, name="count"),
    path("<id:pk>/count/<id:session_pk>/open-box/", count.count_open_box, name="count_open_box"),
    path("<id:pk>/count/<id:session_pk>/sheet/", count.count_enter_sheet, name="count_sheet"),
    path("<id:pk>/count/<id:session_pk>/close/", count.count_close, name="count_close"),
    path(
        "<id:pk>/count/<id:session_pk>/tally-sheet.pdf",
        count.tally_sheet,
        name="tally_sheet",
    ),
    path("<id:pk>/scrutiny/", count.scrutiny, name="scrutiny"),
    path("<id:pk>/scrutiny/reverify/", count.reverify, name="reverify"),
    path(
        "<id:pk>/objections/<id:objection_pk>/answer/",
        count.objection_answer,
        name="objection_answer",
    ),
    path("<id:pk>/evidence/<id:evidence_pk>/", paper.evidence_file, name="evidence"),
    path("<id:pk>/bundle/", paper.bundle, name="bundle"),
    path("<id:pk>/objections/", count.objection_lodge, name="object"),
    path("<id:pk>/trail/", paper.trail, name="trail"),
    path("<id:pk>/roll.csv", register.export_roll, name="export_roll"),
    path("<id:pk>/ballots-<id:item_pk>.csv", register.export_ballots, name="export_ballots"),
]
