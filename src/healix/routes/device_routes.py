"""A patient's devices, and the ingestion endpoint the devices themselves call."""

from flask import request
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from healix.controllers import device_controller, ingestion_controller
from healix.controllers.device_controller import IssuedDeviceKey
from healix.extensions import db
from healix.middleware.auth_middleware import current_actor
from healix.middleware.authorization import roles_required
from healix.middleware.device_auth import current_device, device_key_required
from healix.middleware.ingest_limits import readings_limited
from healix.models.user import Role
from healix.routes import (
    BEARER,
    ERRORS,
    INGEST_ERRORS,
    IngestResponse,
    JsonResponse,
    NoContent,
    dump,
    ingest_response,
    no_content,
    page,
)
from healix.schemas.biomarker import IngestResult, ReadingBatch
from healix.schemas.common import Page
from healix.schemas.device import (
    DeviceCreate,
    DevicePath,
    DeviceQuery,
    DeviceRead,
    DeviceUpdate,
    DeviceWithKey,
)

TAG = Tag(
    name="Devices",
    description="A patient's wearables and home devices with their API keys (shown once), "
    "and the ingestion endpoint a device calls with its `X-Device-Key` header.",
)
bp = APIBlueprint("devices", __name__, url_prefix="/api/devices", abp_tags=[TAG])

#: OpenAPI security requirement: the device key header (scheme declared in create_app)
DEVICE_KEY: list[dict[str, list[str]]] = [{"deviceKey": []}]


def _with_key(issued: IssuedDeviceKey, status: int = 200) -> JsonResponse:
    device = DeviceRead.model_validate(issued.device)
    return dump(DeviceWithKey(device=device, api_key=issued.api_key), status)


@bp.post("", responses={201: DeviceWithKey, **ERRORS}, security=BEARER)
@roles_required(Role.PATIENT)
def register_device(body: DeviceCreate) -> JsonResponse:
    """Register a device; the answer holds its API key, shown this once."""
    issued = device_controller.register_device(db.session(), actor=current_actor(), data=body)
    return _with_key(issued, 201)


@bp.get("", responses={200: Page[DeviceRead], **ERRORS}, security=BEARER)
@roles_required(Role.PATIENT)
def list_devices(query: DeviceQuery) -> JsonResponse:
    """Your devices, newest first."""
    devices = device_controller.list_devices(
        db.session(),
        actor=current_actor(),
        status=query.status,
        limit=query.limit,
        cursor=query.cursor,
    )
    return page(DeviceRead, devices)


@bp.patch("/<uuid:device_id>", responses={200: DeviceRead, **ERRORS}, security=BEARER)
@roles_required(Role.PATIENT)
def update_device(path: DevicePath, body: DeviceUpdate) -> JsonResponse:
    """Rename a device or switch it active/inactive (an inactive device's key is refused)."""
    device = device_controller.update_device(
        db.session(), actor=current_actor(), device_id=path.device_id, data=body
    )
    return dump(DeviceRead.model_validate(device))


@bp.delete("/<uuid:device_id>", responses={204: None, **ERRORS}, security=BEARER)
@roles_required(Role.PATIENT)
def delete_device(path: DevicePath) -> NoContent:
    """Remove a device; its readings are kept, no longer linked to it."""
    device_controller.delete_device(db.session(), actor=current_actor(), device_id=path.device_id)
    return no_content()


@bp.post("/<uuid:device_id>/rotate-key", responses={200: DeviceWithKey, **ERRORS}, security=BEARER)
@roles_required(Role.PATIENT)
def rotate_key(path: DevicePath) -> JsonResponse:
    """Issue a new API key for a device; the old key stops working at once."""
    issued = device_controller.rotate_key(
        db.session(), actor=current_actor(), device_id=path.device_id
    )
    return _with_key(issued)


@bp.post("/ingest", responses={201: IngestResult, **INGEST_ERRORS}, security=DEVICE_KEY)
@device_key_required
@readings_limited
def ingest(body: ReadingBatch) -> IngestResponse:
    """Upload a batch of readings, authenticated by the device's X-Device-Key header."""
    outcome = ingestion_controller.ingest_from_device(
        db.session(),
        device=current_device(),
        owner=current_actor(),
        batch=body,
        idempotency_key=request.headers.get("Idempotency-Key"),
    )
    return ingest_response(outcome)
