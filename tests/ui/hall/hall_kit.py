"""Hall-service records on the hostile and clipping desks (tests/ui/hostile/hostile_desk.py): consultations,
a 帮办代办, bad ratings with comments and a clerk signed on, every text a field of the desk's values."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from clerk_desk.services import attendance, consultation, evaluation
from clerk_desk.services.consultation import AssistRequest, Consultation, Contact
from clerk_desk.services.evaluation import Rating

# The tags the hall pages show (their values come from the desk's ``v``).
CONSULT_TAGS = ("咨询内容甲", "转介去向", "咨询内容乙")
ASSIST_TAGS = ("被帮办人", "帮办事项")
RATING_TAGS = ("评价意见", "差评意见")


def add_hall_records(desk: Any, now: datetime) -> None:
    v, db, clerk = desk.v, desk.db, desk.clerk
    consultation.log_consultation(db, clerk, Consultation(
        v("咨询内容甲"), "referred", "", "", v("转介去向"), 6, Contact(name="慕容雪晴")), now=now - timedelta(minutes=20))
    consultation.log_consultation(db, clerk, Consultation(v("咨询内容乙"), minutes=2), now=now - timedelta(minutes=9))
    uid = consultation.open_assist(db, clerk, AssistRequest(
        Contact(name=v("被帮办人"), phone="13700000000"), v("帮办事项"), platform="鄂汇办",
        application_no="EHB2026120600017"), now=now - timedelta(hours=1))
    consultation.record_step(db, clerk, uid, "受理", now=now - timedelta(minutes=50))
    evaluation.rate(db, desk.cases["completed"], clerk, Rating.DISSATISFIED, v("评价意见"), now=now - timedelta(minutes=8))
    evaluation.rate(db, desk.cases["delivered"], clerk, Rating.VERY_DISSATISFIED, v("差评意见"),
                    now=now - timedelta(minutes=7))
    attendance.sign_on(db, clerk, now=now - timedelta(hours=2))
