from django.db import models
from django.db.models import Q


class Message(models.Model):
    """One side effect to carry out: a handler's name and its JSON arguments."""

    kind = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when every retry has failed; nothing retries it."
    )
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            # Only what is still to send is ever scanned.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="outbox_pending",
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"
