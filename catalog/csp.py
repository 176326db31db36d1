"""Content Security Policy: one strict policy for the public site, a relaxed one for
the Wagtail admin.

The public policy is ``settings.CONTENT_SECURITY_POLICY`` (django-csp 4.0 format,
applied by :class:`csp.middleware.CSPMiddleware`). Responses under a path in
``settings.CONTENT_SECURITY_POLICY_ADMIN["URL_PREFIXES"]`` (the Wagtail admin,
including its page previews) get ``CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]``
instead: the admin's own templates still carry inline scripts (inline panels,
date pickers) and style attributes, so it needs ``'unsafe-inline'`` there. The
README's "Content Security Policy" part records the evidence.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


def admin_policy():
    """``(url_prefixes, directives)`` of the admin's policy (``([], None)`` if unset)."""
    admin = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None) or {}
    return tuple(admin.get("URL_PREFIXES", ())), admin.get("DIRECTIVES")


def is_admin_path(request, prefixes):
    return bool(prefixes) and request.path_info.startswith(prefixes)


class CatalogCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy for admin paths."""

    def process_response(self, request, response):
        prefixes, directives = admin_policy()
        if directives and is_admin_path(request, prefixes):
            # Wagtail renders a preview by sending a request for the page's public URL
            # through the whole middleware chain again; that pass sets the public
            # policy, whose frame-ancestors 'none' would keep the preview out of the
            # editor's preview panel. On admin URLs the admin's policy replaces it.
            for header in (HEADER, HEADER_REPORT_ONLY):
                if header in response:
                    del response[header]
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        prefixes, directives = admin_policy()
        if (
            not report_only
            and parts.config is None  # a view's own @csp decorator wins
            and directives
            and is_admin_path(request, prefixes)
        ):
            parts.config = default_config(directives)
        return parts
