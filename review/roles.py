"""Staff roles as Django groups: who may read, score and move applications.

Created by migration ``applications/0003_roles`` and kept up to date by
``python manage.py setup_roles`` (idempotent: run it after adding a permission here).
"""

from django.apps.registry import Apps
from django.contrib.auth.models import Group, Permission
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

REVIEWERS = "Reviewers"
MANAGERS = "Recruitment managers"
COORDINATORS = "Coordinators"

_READ_AND_SCORE = (
    "missions.view_mission",
    "applications.view_application",
    # change_application lets reviewers add notes on the change page; every field of the
    # application itself stays read-only for them (ApplicationAdmin.get_readonly_fields).
    "applications.change_application",
    "applications.view_historicalapplication",
    "applications.view_applicationdocument",
    "applications.view_stagechange",
    "applications.view_review",
    "applications.add_review",
    "applications.change_review",
    "applications.view_note",
    "applications.add_note",
    "applications.view_refusalreason",
    # Interviews and pre-departure training: the slots, the calendar, who attended.
    "review.view_interviewslot",
    "review.view_interviewbooking",
    "review.view_trainingenrolment",
    "missions.view_trainingsession",
    # Partners' opinions beside staff reviews, and who outside staff saw the file.
    "selection.view_partneropinion",
    "selection.view_partneraccess",
    # Staff search over the talent pool and past applicants, and the invitations sent.
    "talent.search_pool",
    "talent.view_invitation",
)

ROLES: dict[str, tuple[str, ...]] = {
    # Read applications and documents, score them, write internal notes.
    REVIEWERS: _READ_AND_SCORE,
    # Also move stages, assign, edit missions and refusal reasons, see the outbox.
    MANAGERS: (
        *_READ_AND_SCORE,
        "applications.move_stage",
        "applications.export_applications",
        "applications.view_exportlog",
        "applications.assign_application",
        "applications.add_refusalreason",
        "applications.change_refusalreason",
        "missions.add_mission",
        "missions.change_mission",
        "missions.view_programme",
        "missions.view_partner",
        "missions.view_reviewrequest",
        "missions.change_reviewrequest",
        "notifications.view_outboxmessage",
        # Publish interview slots (one by one or as a series), delete them (the candidates
        # booked are told), run the training: sessions, enrolments, attendance, departures.
        "review.add_interviewslot",
        "review.change_interviewslot",
        "review.delete_interviewslot",
        "review.add_trainingenrolment",
        "review.change_trainingenrolment",
        "review.delete_trainingenrolment",
        "missions.add_trainingsession",
        "missions.change_trainingsession",
        "missions.delete_trainingsession",
        # Interviewers' private calendar addresses: created for them, revoked.
        "review.view_calendarfeed",
        "review.add_calendarfeed",
        "review.change_calendarfeed",
        # Review links for partners: created (and sent), revoked, sent again, unlocked.
        "selection.view_partnerlink",
        "selection.add_partnerlink",
        "selection.change_partnerlink",
        # Invitations to apply, sent to pool members from the search.
        "talent.add_invitation",
        # The recruitment dashboard: figures of every mission, the outbox's health.
        "dashboard.view_dashboard",
    ),
    # No admin access: coordinators use /coordination/ for the missions they coordinate.
    COORDINATORS: (),
}


def roles_setup(
    group_model: type[Group], permission_model: type[Permission], *, strict: bool = True
) -> None:
    """Create the groups and give each exactly its permissions (models passed for migrations).

    An early migration runs before later models exist: it passes ``strict=False`` to skip
    their permissions, which the migration adding those models then grants.
    """
    for name, codes in ROLES.items():
        group, _created = group_model.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            found = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is None and strict:
                raise LookupError(f"permission {code} does not exist")
            if found is not None:
                permissions.append(found)
        group.permissions.set(permissions)


def roles_migration(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """RunPython step bringing the groups up to date (for each migration adding a permission)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True  # type: ignore[assignment]  # "has models", as Django checks
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_setup(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), strict=False)
