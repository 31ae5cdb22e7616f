
app_name = "frameworks"

urlpatterns: list = [
    # public pages: filled in by the dashboards work (issue 4); the names below are used by
    # get_absolute_url: plan, goal, target, risks
]
