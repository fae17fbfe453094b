"""Where the catalogue lives, for the site navigation on every page."""

from django import template

from courses.catalog.models import CatalogPage

register = template.Library()


@register.simple_tag(takes_context=True)
def catalog_url(context) -> str:
    """The URL of the live course catalogue, or an empty string while there is none.

    Editors may move or rename the catalogue page, so its URL is looked up, once per request.
    """
    request = context.get("request")
    if request is not None and hasattr(request, "_catalog_url"):
        return request._catalog_url
    page = CatalogPage.objects.live().order_by("path").only("id", "url_path").first()
    url = (page.get_url(request=request) or "") if page else ""
    if request is not None:
        request._catalog_url = url
    return url
