from django.urls import path

from . import demo_api

urlpatterns = [
    path("v1/accounts/<str:uid>", demo_api.account),
    path("v1/accounts/<str:uid>/deposits", demo_api.deposits),
    path("v1/accounts/<str:uid>/withdrawals", demo_api.withdrawals),
    path("v1/accounts/<str:uid>/orders", demo_api.orders),
    path("v1/accounts/<str:uid>/freeze", demo_api.freeze),
    path("v1/accounts/<str:uid>/unlock", demo_api.unlock),
]
