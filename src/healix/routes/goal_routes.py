"""Health goals: patients set and track their own; providers in care and admins read them."""

from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.controllers import goal_controller
from healix.controllers.goal_controller import GoalView
from healix.extensions import db
from healix.middleware.auth_middleware import auth_required, current_actor
from healix.middleware.authorization import roles_required
from healix.models.user import Role
from healix.routes import BEARER, ERRORS, JsonResponse, NoContent, dump, no_content
from healix.schemas.common import Page, Problem
from healix.schemas.goal import (
    GoalCreate,
    GoalFields,
    GoalListQuery,
    GoalPath,
    GoalProgress,
    GoalProgressHistory,
    GoalRead,
    GoalUpdate,
    ProgressEntryCreate,
    ProgressEntryRead,
    ProgressQuery,
)

TAG = Tag(
    name="Goals",
    description="Health goals a patient sets (steps, sleep, water...), with progress per day, "
    "week or month in their time zone; providers in care and admins may read them.",
)
bp = APIBlueprint("goals", __name__, url_prefix="/api/goals", abp_tags=[TAG])


def _read(view: GoalView) -> GoalRead:
    return GoalRead(
        **GoalFields.model_validate(view.goal).model_dump(),
        progress=GoalProgress.model_validate(view.progress),
        achieved_in_last_7=view.achieved_recently,
        streak=view.streak,
    )


@bp.post("", security=BEARER, responses={201: GoalRead, **ERRORS})
@roles_required(Role.PATIENT)
def create_goal(body: GoalCreate) -> JsonResponse:
    """Set a new goal for yourself."""
    view = goal_controller.create_goal(db.session(), actor=current_actor(), data=body)
    return dump(_read(view), 201)


@bp.get("", security=BEARER, responses={200: Page[GoalRead], **ERRORS})
@auth_required()
def list_goals(query: GoalListQuery) -> JsonResponse:
    """Goals of a patient (default: yourself), newest first, each with this period's progress."""
    views = goal_controller.list_goals(
        db.session(),
        actor=current_actor(),
        patient_id=query.patient_id,
        status=query.status,
        limit=query.limit,
        cursor=query.cursor,
    )
    items = [_read(view).model_dump(mode="json") for view in views.items]
    return {"items": items, "next_cursor": views.next_cursor}, 200


@bp.get("/<uuid:goal_id>", security=BEARER, responses={200: GoalRead, **ERRORS})
@auth_required()
def get_goal(path: GoalPath) -> JsonResponse:
    """One goal with this period's progress."""
    view = goal_controller.get_goal(db.session(), actor=current_actor(), goal_id=path.goal_id)
    return dump(_read(view))


@bp.patch("/<uuid:goal_id>", security=BEARER, responses={200: GoalRead, **ERRORS})
@roles_required(Role.PATIENT)
def update_goal(path: GoalPath, body: GoalUpdate) -> JsonResponse:
    """Change your goal (target, period, status...)."""
    view = goal_controller.update_goal(
        db.session(), actor=current_actor(), goal_id=path.goal_id, data=body
    )
    return dump(_read(view))


@bp.delete("/<uuid:goal_id>", security=BEARER, responses={204: None, **ERRORS})
@roles_required(Role.PATIENT)
def delete_goal(path: GoalPath) -> NoContent:
    """Delete your goal and its progress entries."""
    goal_controller.delete_goal(db.session(), actor=current_actor(), goal_id=path.goal_id)
    return no_content()


@bp.get("/<uuid:goal_id>/progress", security=BEARER, responses={200: GoalProgressHistory, **ERRORS})
@auth_required()
def goal_progress(path: GoalPath, query: ProgressQuery) -> JsonResponse:
    """Progress of the last `periods` periods, newest first."""
    items = goal_controller.goal_progress(
        db.session(), actor=current_actor(), goal_id=path.goal_id, periods=query.periods
    )
    return dump(
        GoalProgressHistory(
            goal_id=path.goal_id, items=[GoalProgress.model_validate(item) for item in items]
        )
    )


@bp.post(
    "/<uuid:goal_id>/progress",
    security=BEARER,
    responses={201: ProgressEntryRead, 409: Problem, **ERRORS},
)
@roles_required(Role.PATIENT)
def record_progress(path: GoalPath, body: ProgressEntryCreate) -> JsonResponse:
    """Record manual progress for your water-intake or custom goal."""
    entry = goal_controller.record_progress(
        db.session(), actor=current_actor(), goal_id=path.goal_id, data=body
    )
    return dump(ProgressEntryRead.model_validate(entry), 201)
