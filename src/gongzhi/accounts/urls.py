from django.urls import path

from . import views, views_codes, views_profile

app_name = "accounts"

urlpatterns = [
    path("login/", views.RateLimitedLoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("login/code/", views_codes.code_sign_in, name="code_sign_in"),
    path("login/code/confirm/", views_codes.code_sign_in_confirm, name="code_sign_in_confirm"),
    path("password-reset/", views_codes.password_reset, name="password_reset"),
    path(
        "password-reset/confirm/",
        views_codes.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("welcome/<str:uidb64>/<str:token>/", views_codes.welcome, name="welcome"),
    path("profile/", views_profile.profile, name="profile"),
    path("profile/update/", views_profile.profile_update, name="profile_update"),
    path("profile/phone/", views_profile.phone_change, name="phone_change"),
    path("profile/phone/confirm/", views_profile.phone_change_confirm, name="phone_change_confirm"),
    path("profile/password/", views_profile.password_change, name="password_change"),
    path("profile/tokens/<id:pk>/revoke/", views_profile.token_revoke, name="token_revoke"),
]
