from django.urls import path

from . import views

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
    path("<int:pk>/roll.csv", views.export_roll, name="export_roll"),
    path("<int:pk>/ballots-<int:item_pk>.csv", views.export_ballots, name="export_ballots"),
]
