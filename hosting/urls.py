from django.urls import path

from .views import hosts, proposals, reports

app_name = "hosting"

urlpatterns = [
    path("host/", proposals.propose, name="propose"),
    path("host/sent/", proposals.proposal_sent, name="proposal_sent"),
    path("host/confirm/<str:token>/", proposals.proposal_confirm, name="proposal_confirm"),
    path("host/proposal/<str:token>/", proposals.proposal_edit, name="proposal_edit"),
    path("host/manage/<str:token>/", hosts.host_page, name="host_page"),
    path("host/manage/<str:token>/check-in/", hosts.host_check_in, name="host_check_in"),
    path("host/manage/<str:token>/message/", hosts.host_message, name="host_message"),
    path("host/manage/<str:token>/edit/", hosts.host_edit, name="host_edit"),
    path("host/manage/<str:token>/cancel/", hosts.host_cancel, name="host_cancel"),
    path("host/manage/<str:token>/co-host/", hosts.host_cohost, name="host_cohost"),
    path("host/manage/<str:token>/report/", reports.host_report, name="host_report"),
    path("signups/attendance/<str:token>/", reports.attendance, name="attendance"),
    path("reports/photos/<int:pk>.jpg", reports.report_photo, name="report_photo"),
]
