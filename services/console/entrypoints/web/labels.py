"""Words for the API's codes (statuses, categories, classifications), marked for gettext.

``N_`` only marks a message for extraction; pages translate it when they show it.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional marker
    return message


ITEM_STATUSES = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "completed": N_("Completed"),
    "deferred": N_("Deferred"),
    "cancelled": N_("Cancelled"),
}
HEARING_STATUSES = {
    "scheduled": N_("Scheduled"),
    "rescheduled": N_("Rescheduled"),
    "held": N_("Held"),
    "cancelled": N_("Cancelled"),
}
STATUS_TAGS = {
    "planned": "govuk-tag--grey",
    "in_progress": "govuk-tag--blue",
    "completed": "govuk-tag--green",
    "deferred": "govuk-tag--orange",
    "cancelled": "govuk-tag--red",
    "scheduled": "govuk-tag--blue",
    "rescheduled": "govuk-tag--yellow",
    "held": "govuk-tag--green",
}
CATEGORIES = {
    "cooperation": N_("Cooperation"),
    "delegation_support": N_("Delegation support"),
    "meeting_series": N_("Meeting series"),
    "hearing": N_("Hearing"),
    "advocacy_campaign": N_("Advocacy campaign"),
    "recommendation": N_("Recommendation"),
    "review": N_("Review"),
    "other": N_("Other"),
}
CLASSIFICATIONS = {
    "public": N_("Public"),
    "internal": N_("Internal"),
    "restricted": N_("Restricted"),
}
HEARING_FORMATS = {"open": N_("Open"), "closed": N_("Closed")}
ROLES = {
    "clerk": N_("Clerk"),
    "analyst": N_("Analyst"),
    "cleared": N_("Cleared for restricted items"),
    "admin": N_("Administrator"),
}
EVENT_TYPES = {
    "workplan.item.created.v1": N_("Item created"),
    "workplan.item.updated.v1": N_("Item changed"),
    "workplan.item.status_changed.v1": N_("Status changed"),
    "workplan.hearing.scheduled.v1": N_("Hearing scheduled"),
    "workplan.hearing.rescheduled.v1": N_("Hearing rescheduled"),
    "workplan.hearing.cancelled.v1": N_("Hearing cancelled"),
    "workplan.hearing.held.v1": N_("Hearing held"),
    "workplan.meeting.held.v1": N_("Meeting held"),
}
SERVICES = {"planner": N_("planner"), "archive": N_("archive"), "notifier": N_("notifier")}

SUBSCRIPTION_TOPICS = {
    "*": N_("Everything"),
    "workplan.hearing.*": N_("Hearings"),
    "workplan.item.*": N_("Items and their status"),
    "workplan.meeting.*": N_("Meetings"),
}
CHANNELS = {"inbox": N_("Inbox in the console"), "email": N_("E-mail"), "webhook": N_("Webhook")}
MODES = {"immediate": N_("At once"), "digest": N_("In a daily digest (e-mail only)")}
DELIVERY_STATUSES = {
    "queued": N_("Queued"),
    "retrying": N_("Retrying"),
    "sent": N_("Sent"),
    "failed": N_("Failed"),
    "dead": N_("Given up"),
}
