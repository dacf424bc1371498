from django.urls import path

from . import views

app_name = "helpcenter"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("guide/", views.scenario_guide, name="guide"),
    path("categories/<slug:slug>/", views.category_detail, name="category"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("articles/<slug:slug>/vote/", views.article_vote, name="article-vote"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("announcements/", views.announcement_list, name="announcements"),
    path("announcements/<slug:slug>/", views.announcement_detail, name="announcement"),
]
