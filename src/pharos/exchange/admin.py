from django.contrib import admin

from .models import DemoAccount, DemoAccountAction


@admin.register(DemoAccount)
class DemoAccountAdmin(admin.ModelAdmin):
    list_display = ["uid", "kyc_name", "kyc_level", "lock_state", "volume_30d_usdt"]
    list_filter = ["lock_state", "kyc_level"]
    search_fields = ["uid", "kyc_name"]


@admin.register(DemoAccountAction)
class DemoAccountActionAdmin(admin.ModelAdmin):
    list_display = ["account", "action", "reason", "requested_by", "created_at"]
