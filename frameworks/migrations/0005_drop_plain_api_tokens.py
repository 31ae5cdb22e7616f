"""Drop DRF's authtoken table, left behind by the move to django-rest-knox: it holds every old API
key in plain text, and none of them works any more (knox stores hashes; holders get a new token
from an administrator). The app's migration records, content types and permissions go too."""

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

OLD_TABLE = "authtoken_token"


def drop_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(OLD_TABLE)}")
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()
    # its content types, and with them its permissions (no role holds them any more)
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0004_enabler_note"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # not reversible into plain keys: going back leaves no old tokens, which is what they were
    operations = [migrations.RunPython(drop_plain_tokens, migrations.RunPython.noop)]
