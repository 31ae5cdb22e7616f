"""Create the four roles as groups with their model permissions (frameworks/roles.py).

The groups' permissions are then kept equal to frameworks.roles.ROLE_PERMISSIONS after every
migrate (frameworks.apps). This migration once gave administrators DRF's authtoken permissions
too, and depended on that app; the portal's tokens are knox's now (authtoken is no longer
installed), so neither is here: a database it ran on migrates on, a new one never meets authtoken.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = {
    "frameworks": [
        "strategicplan", "frameworklevel", "value", "goal", "target", "objective",
        "objectivegoallink", "outcome", "output", "enabler",
    ],
    "risks": ["risk", "mitigation"],
    "indicators": ["indicator"],
}
ALL = ("view", "add", "change", "delete")


def _codenames(models_by_app, actions):
    return [
        (app, f"{action}_{model}")
        for app, models in models_by_app.items()
        for model in models
        for action in actions
    ]


ROLES = {
    "Reporter": _codenames({"indicators": ["observation"]}, ("view", "add", "change"))
    + _codenames({"indicators": ["indicator", "geography"]}, ("view",)),
    "Editor": _codenames(CONTENT, ALL)
    + _codenames({"indicators": ["observation", "geography"]}, ("view",)),
    "Reviewer": _codenames({"indicators": ["observation"]}, ("view", "change"))
    + _codenames({"indicators": ["indicator", "geography"]}, ("view",)),
    "Administrator": _codenames(CONTENT, ALL)
    + _codenames(
        {
            "indicators": ["observation", "geography"],
            "frameworks": [
                "sectorassignment", "datasource", "sector", "wsisactionline", "sdg",
                "sdgtarget", "sdgindicator", "wsiscontribution", "sdgcontribution",
            ],
            "auth": ["user", "group"],
        },
        ALL,
    ),
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in codenames
        ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0001_initial"),
        ("indicators", "0001_initial"),
        ("risks", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
