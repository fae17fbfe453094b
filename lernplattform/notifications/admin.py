from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "topic", "created_at", "sent_at", "attempts"]
    list_filter = ["topic", "sent_at"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    search_fields = ["subject", "recipients"]
