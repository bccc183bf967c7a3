"""Staff roles as Django groups: who may read, score and move applications.

Created by migration ``applications/0003_roles`` and kept up to date by
``python manage.py setup_roles`` (idempotent: run it after adding a permission here).
"""

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
)

ROLES: dict[str, tuple[str, ...]] = {
    # Read applications and documents, score them, write internal notes.
    REVIEWERS: _READ_AND_SCORE,
    # Also move stages, assign, edit missions and refusal reasons, see the outbox.
    MANAGERS: (
        *_READ_AND_SCORE,
        "applications.move_stage",
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
    ),
    # No admin access: coordinators use /coordination/ for the missions they coordinate.
    COORDINATORS: (),
}


def roles_setup(group_model, permission_model) -> None:
    """Create the groups and give each exactly its permissions (models passed for migrations)."""
    for name, codes in ROLES.items():
        group, _created = group_model.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
