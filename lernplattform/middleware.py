"""Project-wide middleware."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class GermanFirstLocaleMiddleware(LocaleMiddleware):
    """German unless the visitor chose another language with the switch in the footer.

    Django's LocaleMiddleware follows the browser's Accept-Language header. Many municipal PCs
    run English browsers, and course content exists in German only, so following the browser
    would mix English chrome with German courses. The explicit choice (the language cookie set
    by Django's set_language view) is honoured.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
