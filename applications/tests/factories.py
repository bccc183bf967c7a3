import io
import zipfile

import factory

from applications.models import Application
from missions.tests.factories import MissionFactory
from volunteers.tests.factories import VolunteerFactory


def docx_bytes(text: str = "Madame, Monsieur,") -> bytes:
    """A real, minimal Word document (what python-docx or Word would write, in its essentials)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    volunteer = factory.SubFactory(VolunteerFactory)
    mission = factory.SubFactory(MissionFactory)


def submitted(mission=None, volunteer=None, **fields) -> Application:
    """A submitted application as application_submit leaves it, without the documents."""
    from applications.models import Stage
    from applications.services import profile_snapshot

    mission = mission or MissionFactory()
    volunteer = volunteer or VolunteerFactory()
    number = Application.objects.filter(mission=mission).count() + 1
    defaults = {
        "stage": Stage.SUBMITTED,
        "number": number,
        "reference": f"{mission.reference}-{number:04d}",
        "submitted_at": mission.created_at,
        "eligibility": {
            "eligible": True,
            "rules_version": "test",
            "evaluated_at": "2026-11-26T12:00:00+00:00",
            "findings": [],
        },
        "profile": profile_snapshot(volunteer),
    }
    return Application.objects.create(
        mission=mission, volunteer=volunteer, **{**defaults, **fields}
    )
