from django.urls import path

from . import views

app_name = "trust"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/report/", views.report, name="report"),
    path("security/freeze/", views.freeze, name="freeze"),
    path("security/freeze/confirm/", views.confirm_freeze, name="confirm-freeze"),
    path("security/freeze/done/", views.frozen, name="frozen"),
    path("security/appeal/", views.appeal, name="appeal"),
    path("console/appeals/<int:appeal_id>/", views.review_appeal, name="review-appeal"),
    path(
        "console/appeals/documents/<int:document_id>/",
        views.appeal_document,
        name="appeal-document",
    ),
]
