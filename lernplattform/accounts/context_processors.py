from django.utils.functional import SimpleLazyObject

from . import selectors
from .models import Membership
from .services import ADMIN_ACCESS_ROLES


def nav_roles(request):
    """What the navigation needs to know about the visitor; computed only when a template asks."""

    def compute() -> dict:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {"is_admin": False, "has_wagtail": False, "is_trainer": False}
        # One query for the roles in force, whatever the page, shared with the page's own view.
        roles = selectors.request_roles(request=request)
        is_platform_admin = Membership.Role.PLATFORM_ADMIN in roles
        return {
            "is_admin": is_platform_admin or Membership.Role.ORG_ADMIN in roles,
            "is_trainer": is_platform_admin or Membership.Role.TRAINER in roles,
            # Admin access comes only with the Wagtail groups of these roles (services.user_groups_sync):
            # everyone else, most visitors, costs no permission queries.
            "has_wagtail": user.is_superuser
            or (bool(roles & ADMIN_ACCESS_ROLES) and user.has_perm("wagtailadmin.access_admin")),
        }

    return {"nav_roles": SimpleLazyObject(compute)}
