"""The calendar subscription feed, read by calendar apps with the secret token in the path."""

from flask import Response
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.config import current_settings
from healix.controllers import calendar_controller
from healix.extensions import db
from healix.routes import binary_response
from healix.schemas.calendar import FeedPath
from healix.schemas.common import Problem

TAG = Tag(
    name="Calendar",
    description="Your appointments as a calendar subscription (iCalendar, RFC 5545). Create "
    "the secret URL with `POST /api/users/me/calendar-feed`; calendar apps read it without "
    "signing in. No reasons or notes are in it; every read is audited.",
)
bp = APIBlueprint("calendar", __name__, url_prefix="/api/calendar", abp_tags=[TAG])


@bp.get(
    "/feeds/<token>.ics",
    responses={
        200: binary_response(
            calendar_controller.CALENDAR_MIMETYPE, "Your appointments from 30 days ago on"
        ),
        404: Problem,
        422: Problem,
    },
)
def calendar_feed(path: FeedPath) -> Response:
    """A calendar feed: the owner's recent and upcoming appointments (token in the path)."""
    document = calendar_controller.read_feed(
        db.session(), token=path.token, settings=current_settings()
    )
    return Response(
        document.content,
        mimetype=document.mimetype,
        headers={"Content-Disposition": f'inline; filename="{document.filename}"'},
    )
