from django.utils.functional import SimpleLazyObject

from . import selectors


def nav_roles(request):
    """What the navigation needs to know about the visitor; computed only when a template asks."""

    def compute() -> dict:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {"is_admin": False, "has_wagtail": False}
        is_platform_admin = selectors.user_is_platform_admin(user=user)
        return {
            "is_admin": is_platform_admin or bool(selectors.organisations_administered(user=user)),
            "has_wagtail": user.has_perm("wagtailadmin.access_admin"),
        }

    return {"nav_roles": SimpleLazyObject(compute)}
