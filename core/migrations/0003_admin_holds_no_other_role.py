"""Separation of duties (三权分立) in the database itself: an administrator role goes with no other role.

A trigger on auth_user_groups refuses an INSERT or UPDATE that would give one account an administrator group
(sysadmin, secadmin, auditor) together with any other role group (another administrator's, or any work role:
resident, cadre, handler, leader, coordinator, assessor, supervisor), whoever sends it: the application, a script,
or SQL injected somewhere. Both engines raise an integrity error. core.services.account_set_roles refuses the same
with a clear message before it gets here.

Rows already there are not changed: this migration names the accounts that combine roles on its output, and
`manage.py check_roles` and the security administrator's roles page keep naming them until they are sorted out
(meanwhile such an account acts with its administrator role only: core.roles.user_roles).
"""

from django.db import migrations

ADMIN = ("sysadmin", "secadmin", "auditor")
WORK = ("resident", "cadre", "handler", "leader", "coordinator", "assessor", "supervisor")


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(f"'{name}'" for name in names)


# Two role groups of one account conflict when they differ and one of them is an administrator's.
_CONFLICT = f"""
    held_group.id <> new_group.id
    AND new_group.name IN ({_names(ADMIN + WORK)}) AND held_group.name IN ({_names(ADMIN + WORK)})
    AND (new_group.name IN ({_names(ADMIN)}) OR held_group.name IN ({_names(ADMIN)}))
"""
MESSAGE = "separation of duties: an administrator role cannot be combined with another role"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER core_admin_role_alone_insert BEFORE INSERT ON auth_user_groups
    WHEN EXISTS (
        SELECT 1 FROM auth_group AS new_group, auth_user_groups AS held
        JOIN auth_group AS held_group ON held_group.id = held.group_id
        WHERE new_group.id = NEW.group_id AND held.user_id = NEW.user_id AND {_CONFLICT}
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER core_admin_role_alone_update BEFORE UPDATE OF user_id, group_id ON auth_user_groups
    WHEN EXISTS (
        SELECT 1 FROM auth_group AS new_group, auth_user_groups AS held
        JOIN auth_group AS held_group ON held_group.id = held.group_id
        WHERE new_group.id = NEW.group_id AND held.user_id = NEW.user_id AND held.id <> OLD.id AND {_CONFLICT}
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_admin_role_alone_insert",
    "DROP TRIGGER IF EXISTS core_admin_role_alone_update",
]
POSTGRES_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION core_admin_role_alone() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Two transactions giving one account two roles at once would not see each other's row: take turns.
        PERFORM 1 FROM auth_user WHERE id = NEW.user_id FOR NO KEY UPDATE;
        IF EXISTS (
            SELECT 1 FROM auth_group AS new_group, auth_user_groups AS held
            JOIN auth_group AS held_group ON held_group.id = held.group_id
            WHERE new_group.id = NEW.group_id AND held.user_id = NEW.user_id AND held.id <> NEW.id AND {_CONFLICT}
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER core_admin_role_alone BEFORE INSERT OR UPDATE ON auth_user_groups
    FOR EACH ROW EXECUTE FUNCTION core_admin_role_alone()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_admin_role_alone ON auth_user_groups",
    "DROP FUNCTION IF EXISTS core_admin_role_alone()",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise RuntimeError(f"No separation-of-duties trigger for the {vendor} database: add one to this migration.")
    for sql in statements[vendor]:
        schema_editor.execute(sql, None)


def report_mixed(apps, schema_editor) -> None:
    """Name the accounts that already combine an administrator role with another one; change nothing."""
    user_model = apps.get_model("auth", "User")
    mixed = []
    for user in user_model.objects.filter(groups__name__in=ADMIN).distinct().order_by("username"):
        roles = sorted(user.groups.filter(name__in=ADMIN + WORK).values_list("name", flat=True))
        if len(roles) > 1:
            mixed.append(f"{user.username} ({', '.join(roles)})")
    if mixed:
        print(  # noqa: T201  (a migration has no other way to speak to whoever runs it)
            "\n  Separation of duties: these accounts combine an administrator role with another role and act with "
            "their administrator role only until the security administrator sorts them out (manage.py check_roles): "
            + "; ".join(mixed)
        )


def forward(apps, schema_editor) -> None:
    report_mixed(apps, schema_editor)
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def backward(apps, schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [("core", "0002_role_groups"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(forward, backward)]
