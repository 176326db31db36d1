"""Editorial workflow behaviour that Wagtail does not do by itself."""

from wagtail.signals import workflow_approved


def release_lock_on_approval(sender, instance, user=None, **kwargs):
    """When the "Editorial review" workflow approves a page or snippet, release any
    lock an editor put on it, so the approved content is editable again.

    ``instance`` is the ``WorkflowState``; its ``content_object`` is the page or
    snippet (it has ``locked``, ``locked_by``, ``locked_at`` when lockable).
    """
    content = instance.content_object
    if getattr(content, "locked", False):
        content.locked, content.locked_by, content.locked_at = False, None, None
        content.save(update_fields=["locked", "locked_by", "locked_at"])


def connect():
    workflow_approved.connect(release_lock_on_approval, dispatch_uid="release_lock_on_approval")
