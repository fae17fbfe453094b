from django import template
from wagtail.models import Page

from lernplattform.portal.models import FOOTER_PAGE_TYPES

register = template.Library()


@register.inclusion_tag("includes/footer_links.html", takes_context=True)
def portal_footer_links(context):
    """Links to the legal pages that exist and are live, in a fixed order (one query)."""
    request = context.get("request")
    pages = {page.specific_class: page for page in Page.objects.live().type(*FOOTER_PAGE_TYPES).order_by("path")}
    links = []
    for page_type in FOOTER_PAGE_TYPES:
        page = pages.get(page_type)
        if page is not None:
            links.append({"title": page.title, "url": page.get_url(request), "type": page_type.__name__})
    return {"links": links, "request": request}
