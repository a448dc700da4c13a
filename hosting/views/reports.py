"""After the action: the host's report (from their host link), the volunteer's "Did you make it?"
(from the link in their follow-up email) and the report's photos, served to the action's page."""

import io

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from actions.models import Action, Signup
from actions.tokens import InvalidToken, signup_for_manage_token
from common.middleware import allow_request_size

from .. import services
from ..forms.reports import ReportForm
from ..models import ActionReport, Host, ReportPhoto
from ..tokens import host_token
from .hosts import host_from_link

# A year: a photo's URL names one image, which never changes (a new photo gets a new id).
PHOTO_MAX_AGE = 365 * 24 * 3600
ANSWERS = {"attended": True, "missed": False}


def _has_started(action: Action) -> bool:
    return timezone.now() >= action.starts_at


def report_request_size() -> int:
    """The largest report form a browser may send: every photo at its largest, and the fields."""
    return settings.REPORT_PHOTOS_MAX * settings.REPORT_PHOTO_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@allow_request_size(report_request_size)
@require_http_methods(["GET", "HEAD", "POST"])
@host_from_link
def host_report(request: HttpRequest, host: Host) -> HttpResponse:
    """The report form, once the action has started (before, a page saying when it opens); a
    cancelled action has none. Saved, the page says so, with the report as it stands, to edit."""
    action = host.action
    host_url = reverse("hosting:host_page", kwargs={"token": host_token(host)})
    if action.is_cancelled or not _has_started(action):
        return render(request, "hosting/report_closed.html", {"action": action, "host_url": host_url})
    report = ActionReport.objects.filter(action=action).first()
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, report=report)
        if form.is_valid():
            data = form.cleaned_data
            services.report_save(
                action=action,
                host=host,
                turnout=data["turnout"],
                press_url=data["press_url"],
                notes=data["notes"],
                photos=data["photos"],
                remove=data["remove_photos"],
            )
            return redirect(f"{request.path}?done=saved")
        status = 400
    else:
        form, status = ReportForm(report=report), 200
    context = {
        "action": action,
        "host_url": host_url,
        "form": form,
        "report": report,
        "saved": request.GET.get("done") == "saved" and report is not None,
    }
    return render(request, "hosting/report.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def attendance(request: HttpRequest, token: str) -> HttpResponse:
    """ "Did you make it?", for a confirmed volunteer once the action has started. GET shows the two
    buttons, since mail scanners follow links; only the POST records the answer, then the page
    thanks them and shows it, with the other button to change it."""
    try:
        signup = signup_for_manage_token(token)
    except InvalidToken:
        return render(request, "actions/signup_invalid.html", status=404)
    action = signup.action
    if signup.status != Signup.Status.CONFIRMED or action.is_cancelled or not _has_started(action):
        context = {"signup": signup, "action": action, "started": _has_started(action)}
        response = render(request, "hosting/attendance_closed.html", context)
    elif request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ANSWERS:
            context = {"signup": signup, "action": action, "refused": True}
            response = render(request, "hosting/attendance.html", context, status=400)
        else:
            services.attendance_record(signup=signup, attended=ANSWERS[answer])
            response = redirect(f"{request.path}?done=1")
    else:
        context = {"signup": signup, "action": action, "thanks": bool(request.GET.get("done"))}
        response = render(request, "hosting/attendance.html", context)
    # The link's token is the key to the page: no link followed from it carries it on (the origin
    # only: with "no-referrer" the browser sends "Origin: null" with the form, which CSRF refuses).
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def report_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A report's photo, as JPEG, if its action is public (404 otherwise). Kept a year by browsers
    and proxies; streamed, so that the page cache does not keep a copy of each photo in memory."""
    photo = get_object_or_404(
        ReportPhoto.objects.filter(report__action__in=Action.objects.published()).only("image"), pk=pk
    )
    response = FileResponse(io.BytesIO(bytes(photo.image)), content_type="image/jpeg")
    response["Cache-Control"] = f"public, max-age={PHOTO_MAX_AGE}, immutable"
    return response
