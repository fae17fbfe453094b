"""The catalogue page: full-text search and filters with clean, shareable URLs.

/kurse/                      all published courses
/kurse/thema/datenmanagement/ one topic
?q=…&niveau=…&dauer=…         search text, level and duration (combinable)
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse

from .models import Topic
from .selectors import catalog_search

PAGE_SIZE = 20


def _url(base: str, **params: str) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{base}?{query}" if query else base


def catalog_view(request, *, catalog, topic_slug: str | None = None):
    # A topic chosen in the form (?thema=…) moves into the path, so every filter state has one URL.
    if topic_slug is None and request.GET.get("thema"):
        params = request.GET.copy()
        slug = params.pop("thema")[-1]
        base = catalog.get_url(request) + catalog.reverse_subpage("topic_courses", args=[slug])
        return HttpResponseRedirect(_url(base, **{k: params.get(k, "") for k in ("q", "niveau", "dauer")}))

    topic = None
    if topic_slug is not None:
        topic = Topic.objects.filter(slug=topic_slug).first()
        if topic is None:
            raise Http404("Unbekanntes Themenfeld")

    query = request.GET.get("q", "")[:200]
    level = request.GET.get("niveau", "")
    duration = request.GET.get("dauer", "")
    try:
        page_number = max(1, int(request.GET.get("seite", "1")))
    except ValueError:
        page_number = 1

    result = catalog_search(
        query=query,
        topic=topic,
        level=level,
        duration=duration,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
    )
    catalog_url = catalog.get_url(request)
    base = catalog_url + catalog.reverse_subpage("topic_courses", args=[topic.slug]) if topic else catalog_url
    current = {"q": query, "niveau": level if any(o.selected for o in result.levels) else "", "dauer": duration}
    if not any(o.selected for o in result.durations):
        current["dauer"] = ""

    for option in result.topics:
        topic_base = catalog_url + catalog.reverse_subpage("topic_courses", args=[option.value])
        option.url = _url(catalog_url if option.selected else topic_base, **current)
    for option in result.levels:
        option.url = _url(base, **{**current, "niveau": "" if option.selected else option.value})
    for option in result.durations:
        option.url = _url(base, **{**current, "dauer": "" if option.selected else option.value})

    paginator = Paginator(range(result.total), PAGE_SIZE)
    page_obj = paginator.get_page(page_number)
    return TemplateResponse(
        request,
        "catalog/catalog_page.html",
        {
            "page": catalog,
            "self": catalog,
            "result": result,
            "topic": topic,
            "query": query,
            "current": current,
            "form_action": base,
            "page_obj": page_obj,
            "previous_url": _url(base, **current, seite=str(page_obj.previous_page_number()))
            if page_obj.has_previous()
            else None,
            "next_url": _url(base, **current, seite=str(page_obj.next_page_number())) if page_obj.has_next() else None,
            "reset_url": catalog_url,
        },
    )
