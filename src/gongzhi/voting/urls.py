from django.urls import path

from . import views, views_paper

app_name = "voting"

urlpatterns = [
    path("", views.decision_list, name="list"),
    path("new/", views.decision_create, name="create"),
    path("code/<str:code>/", views.vote_with_code, name="code"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.decision_action, name="action"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/register/correct/", views.register_correct, name="register_correct"),
    path("<int:pk>/paper/", views.paper_entry, name="paper"),
    path("<int:pk>/drive/", views.drive, name="drive"),
    path("<int:pk>/drive/canvass/<int:entry_pk>/", views.canvass, name="canvass"),
    path("<int:pk>/print/<int:compound_pk>/", views.print_ballots, name="print"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/ballots/", views.ballot_list, name="ballots"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/deliveries/", views_paper.deliveries, name="deliveries"),
    path(
        "<int:pk>/deliveries/<int:compound_pk>.pdf", views_paper.delivery_list, name="delivery_list"
    ),
    path("<int:pk>/boxes/", views_paper.boxes, name="boxes"),
    path("<int:pk>/count/new/", views_paper.count_start, name="count_start"),
    path("<int:pk>/count/<int:session_pk>/", views_paper.count, name="count"),
    path(
        "<int:pk>/count/<int:session_pk>/tally-sheet.pdf",
        views_paper.tally_sheet,
        name="tally_sheet",
    ),
    path("<int:pk>/scrutiny/", views_paper.scrutiny, name="scrutiny"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views_paper.evidence_file, name="evidence"),
    path("<int:pk>/bundle.zip", views_paper.bundle, name="bundle"),
    path("<int:pk>/objections/", views_paper.objection_lodge, name="object"),
    path("<int:pk>/trail/", views_paper.trail, name="trail"),
    path("<int:pk>/roll.csv", views.export_roll, name="export_roll"),
    path("<int:pk>/ballots-<int:item_pk>.csv", views.export_ballots, name="export_ballots"),
]
