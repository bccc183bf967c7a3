"""The sample missions' own questions and a question of the V-Francophonie bank that three of
them ask (demo/data/questions.json): one of each kind across the missions, a conditional
question, a knock-out asked before applying on a mission with field visits by car.

A question already there (same owner, same French label) is left as it is: loading twice
changes nothing, and a question staff edited since is not put back.
"""

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from missions import cache as mission_cache
from missions.models import Mission, MissionQuestion, Programme, Question

QUESTIONS = Path(__file__).resolve().parent / "data" / "questions.json"
# Keys of a record that are not fields of the question.
LINKS = ("key", "programme", "mission", "missions", "condition")


def question_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(QUESTIONS.read_text())
    return records


def questions_ensure() -> int:
    """Create the demo's questions missing and have their missions ask them; returns how many
    were created."""
    made: dict[str, Question] = {}
    created = 0
    for record in question_records():
        made[record["key"]], new = question_ensure(record, made)
        created += new
        for reference, order in record.get("missions", {}).items():
            MissionQuestion.objects.get_or_create(
                mission=Mission.objects.get(reference=reference),
                question=made[record["key"]],
                defaults={"order": order},
            )
    if created:
        transaction.on_commit(mission_cache.bump)  # the pages' quick check asks the knock-out
    return created


def question_ensure(record: dict[str, Any], made: dict[str, Question]) -> tuple[Question, bool]:
    """The question of this record, created (and linked to its own mission) if missing."""
    if "programme" in record:
        owner: dict[str, Any] = {"programme": Programme.objects.get(slug=record["programme"])}
    else:
        owner = {"mission": Mission.objects.get(reference=record["mission"])}
    existing = Question.objects.current().filter(**owner, label_fr=record["label_fr"]).first()
    if existing is not None:
        return existing, False
    question = Question(**owner, **{k: v for k, v in record.items() if k not in LINKS})
    if "condition" in record:
        question.condition_question = made[record["condition"]["question"]]
        question.condition_values = record["condition"]["values"]
    question.full_clean()
    question.save()
    return question, True
