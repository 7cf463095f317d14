"""Free-text answers for admins and analysts (issue 16; docs/pulse.md, "Free text").

Shown only to the ``admin`` and ``analyst`` roles (the roles of `parity.web.roles`), only once the
survey's results are published (the threshold is met), only from released steps while the survey
is open (as the figures are), never beside any "about you" answer (the store keeps them apart), and
with e-mail addresses, phone numbers and staff numbers redacted (`parity.pulse.redact`).
"""

from __future__ import annotations

from parity.pulse.redact import redact
from parity.pulse.store import PulseStore

READERS = ("admin", "analyst")
MSG_ROLE = "Free-text answers are shown to admins and analysts only (your role: {role})."


def free_text(store: PulseStore, survey_id: str, role: str) -> dict:
    """``{"published": bool, "answers": [{"question", "text"}]}`` in stored (random) order.

    Raises PermissionError for any role but admin or analyst.
    """
    if role not in READERS:
        raise PermissionError(MSG_ROLE.format(role=role))
    survey = store.get(survey_id)
    published = len(store.responses(survey_id)) >= survey.threshold
    if not published:
        return {"published": False, "answers": []}
    texts = {q.id: q.text for q in survey.questions}
    return {"published": True, "answers": [{"question": qid, "question_text": texts.get(qid, qid),
                                            "text": redact(text)} for qid, text in store.comments(survey_id)]}
