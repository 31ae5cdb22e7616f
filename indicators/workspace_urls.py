app_name = "workspace"

urlpatterns: list = [
    # the secretariat's workspace (issue 6)
]
