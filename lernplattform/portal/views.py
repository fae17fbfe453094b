from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lernplattform.accounts.ratelimit import rate_limit_check
from lernplattform.core.errors import RateLimited

from .forms import BarrierReportForm
from .models import AccessibilityStatementPage
from .services import barrier_report_submit


@require_http_methods(["GET", "POST"])
def barrier_report(request):
    """The "Barriere melden" form; it also sits on the accessibility statement page."""
    form = BarrierReportForm(request.POST or None, initial={"page_url": request.GET.get("seite", "")})
    if request.method == "POST" and form.is_valid():
        try:
            # Per client and per reply address: each report e-mails the accessibility team (issue 10).
            rate_limit_check(action="barrier_report", request=request, address=form.cleaned_data.get("email") or "")
        except RateLimited as error:
            form.add_error(None, error.message)
            return render(request, "portal/barrier_report.html", {"form": form}, status=error.status_code)
        if not form.cleaned_data.get("website"):
            data = form.cleaned_data
            barrier_report_submit(
                description=data["description"],
                page_url=data["page_url"],
                name=data["name"],
                email=data["email"],
                reporter=request.user,
            )
        messages.success(request, _("Vielen Dank! Ihre Meldung ist bei uns eingegangen."))
        statement = AccessibilityStatementPage.objects.live().first()
        return redirect(statement.url if statement else "portal:barrier_report")
    return render(request, "portal/barrier_report.html", {"form": form})
