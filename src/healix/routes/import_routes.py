"""Imports of export files (Apple Health, CSV): a patient uploads, a job imports."""

from flask import request
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.config import current_settings
from healix.controllers import import_controller
from healix.extensions import db
from healix.middleware.auth_middleware import current_actor
from healix.middleware.authorization import roles_required
from healix.models.user import Role
from healix.routes import BEARER, ERRORS, WITH_CONFLICT, JsonResponse, dump, page
from healix.schemas.common import Page, PageQuery, Problem
from healix.schemas.data_import import ImportPath, ImportRead, ImportUpload

TAG = Tag(
    name="Imports",
    description="Bring your own data: upload an Apple Health export (export.zip or export.xml) "
    "or a CSV file; a background job imports it with the same units, fault detection, "
    "deduplication and alerts as device uploads. See docs/imports.md.",
)
bp = APIBlueprint("imports", __name__, url_prefix="/api/imports", abp_tags=[TAG])


@bp.before_request
def _allow_large_uploads() -> None:
    # exports are far larger than the API's MAX_CONTENT_LENGTH; this prefix has its own limit
    request.max_content_length = current_settings().import_max_upload_bytes


@bp.post("", security=BEARER, responses={202: ImportRead, 413: Problem, **ERRORS})
@roles_required(Role.PATIENT)
def create_import(form: ImportUpload) -> JsonResponse:
    """Upload an export file to import into your record (multipart, field `file`)."""
    data_import = import_controller.create_import(
        db.session(),
        actor=current_actor(),
        upload=form.file.stream,
        filename=form.file.filename or "",
        file_format=form.format,
        settings=current_settings(),
    )
    return dump(ImportRead.model_validate(data_import), 202)


@bp.get("", security=BEARER, responses={200: Page[ImportRead], **ERRORS})
@roles_required(Role.PATIENT)
def list_imports(query: PageQuery) -> JsonResponse:
    """Your imports, newest first."""
    paged = import_controller.list_imports(
        db.session(), actor=current_actor(), limit=query.limit, cursor=query.cursor
    )
    return page(ImportRead, paged)


@bp.get("/<uuid:import_id>", security=BEARER, responses={200: ImportRead, **ERRORS})
@roles_required(Role.PATIENT)
def get_import(path: ImportPath) -> JsonResponse:
    """One of your imports, with its progress and counts."""
    data_import = import_controller.get_import(
        db.session(), actor=current_actor(), import_id=path.import_id
    )
    return dump(ImportRead.model_validate(data_import))


@bp.post("/<uuid:import_id>/cancel", security=BEARER, responses={200: ImportRead, **WITH_CONFLICT})
@roles_required(Role.PATIENT)
def cancel_import(path: ImportPath) -> JsonResponse:
    """Cancel your queued or running import (readings committed so far stay)."""
    data_import = import_controller.cancel_import(
        db.session(), actor=current_actor(), import_id=path.import_id
    )
    return dump(ImportRead.model_validate(data_import))
