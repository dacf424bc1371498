from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from pharos.api import api
from pharos.conversations import views as conversation_views
from pharos.core import views as core_views
from pharos.livechat import views as livechat_views

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", core_views.health, name="health"),
    path("widget.js", livechat_views.widget_script, name="chat-widget"),
    path("attachments/<str:key>", conversation_views.attachment, name="attachment"),
    path("demo-exchange/", include("pharos.exchange.demo_api_urls")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("pharos.accounts.urls")),
    path("requests/", include("pharos.conversations.urls")),
    path("console/chats/", include("pharos.livechat.console_urls")),
    path("console/bot/", include("pharos.bot.console_urls")),
    path("console/", include("pharos.conversations.console_urls")),
    path("chat/", include("pharos.livechat.urls")),
    path("contact/", include("pharos.mail.urls")),
    path("", include("pharos.trust.urls")),
    path("", include("pharos.helpcenter.urls")),
)

handler404 = "pharos.core.views.page_not_found"
handler500 = "pharos.core.views.server_error"
