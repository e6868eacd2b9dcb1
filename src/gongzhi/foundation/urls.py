from django.urls import path

from . import views

app_name = "foundation"

urlpatterns = [
    path("", views.index, name="index"),
    path("funds/<id:pk>/", views.fund, name="fund"),
    path("receipts/<slug:token>/", views.verify, name="verify"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/<id:pk>/funds/new/", views.fund_new, name="fund_new"),
    path("ledger/<id:pk>/disclosures/publish/", views.disclosure_publish, name="publish"),
    path("ledger/<id:pk>/ledger.xlsx", views.export, name="export"),
    path("funds/<id:pk>/donations/new/", views.donation_new, name="donation_new"),
    path("funds/<id:pk>/consents/new/", views.consent_new, name="consent_new"),
    path("funds/<id:pk>/disbursements/new/", views.disbursement_new, name="disbursement_new"),
    path("donations/<id:pk>/receipt.pdf", views.receipt, name="receipt"),
    path("evidence/<id:pk>/", views.evidence, name="evidence"),
]
