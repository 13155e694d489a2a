"""Your in-app notifications."""

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.controllers import notification_controller
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.routes import BEARER, ERRORS, JsonResponse, dump, page
from healix.schemas.common import Page
from healix.schemas.notification import (
    NotificationPath,
    NotificationQuery,
    NotificationRead,
    NotificationUpdate,
    ReadAllResult,
)

bp = APIBlueprint(
    "notifications",
    __name__,
    url_prefix="/api/notifications",
    abp_tags=[
        Tag(
            name="Notifications",
            description="Your in-app notifications (they carry ids, never health values).",
        )
    ],
)


@bp.get("", responses={200: Page[NotificationRead], **ERRORS}, security=BEARER)
@auth_required()
def list_notifications(query: NotificationQuery) -> JsonResponse:
    """Your notifications, newest first."""
    notifications = notification_controller.list_own(
        db.session(),
        actor=current_actor(),
        status=query.status,
        limit=query.limit,
        cursor=query.cursor,
    )
    return page(NotificationRead, notifications)


@bp.patch("/<uuid:notification_id>", responses={200: NotificationRead, **ERRORS}, security=BEARER)
@auth_required()
def mark_notification(path: NotificationPath, body: NotificationUpdate) -> JsonResponse:
    """Mark a notification read or dismissed."""
    notification = notification_controller.mark(
        db.session(),
        actor=current_actor(),
        notification_id=path.notification_id,
        status=body.status,
    )
    return dump(NotificationRead.model_validate(notification))


@bp.post("/read-all", responses={200: ReadAllResult, **ERRORS}, security=BEARER)
@auth_required()
def read_all() -> JsonResponse:
    """Mark all your unread notifications read."""
    result = notification_controller.mark_all_read(db.session(), actor=current_actor())
    return dump(ReadAllResult.model_validate(result))
