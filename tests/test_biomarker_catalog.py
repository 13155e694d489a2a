"""The catalog: unit resolution and conversion, plausibility, and its HTTP listing."""

from __future__ import annotations

import pytest

from healix.biomarker_catalog import CATALOG, UNKNOWN_TYPE, check_type


@pytest.mark.parametrize(
    ("code", "unit", "resolved"),
    [
        ("heart_rate", "bpm", "/min"),
        ("heart_rate", "BPM", "/min"),
        ("body_temperature", "°F", "[degF]"),
        ("body_temperature", "Cel", "Cel"),
        ("body_weight", "lbs", "[lb_av]"),
        ("blood_glucose", "mmol/l", "mmol/L"),
        ("sleep", "mins", "min"),
        ("heart_rate", "kg", None),
        ("body_weight", "stone", None),
    ],
)
def test_resolve_unit(code, unit, resolved):
    assert CATALOG[code].resolve_unit(unit) == resolved


@pytest.mark.parametrize(
    ("code", "value", "unit", "expected"),
    [
        ("body_temperature", 212, "[degF]", 100),
        ("body_temperature", 32, "F", 0),
        ("body_weight", 1, "[lb_av]", 0.45359237),
        ("blood_glucose", 10, "mmol/L", 180),
        ("sleep", 30, "min", 0.5),
        ("sleep", 8, "h", 8),
    ],
)
def test_to_canonical(code, value, unit, expected):
    assert CATALOG[code].to_canonical(value, unit) == pytest.approx(expected)


def test_to_canonical_refuses_unknown_unit():
    with pytest.raises(ValueError, match="not accepted"):
        CATALOG["spo2"].to_canonical(95, "mg/dL")


def test_plausible_range_bounds_inclusive():
    heart = CATALOG["heart_rate"]
    assert heart.is_plausible(20)
    assert heart.is_plausible(250)
    assert not heart.is_plausible(251)


def test_the_one_known_type_check():
    assert check_type("heart_rate") == "heart_rate"
    with pytest.raises(ValueError, match="known biomarker type") as refused:
        check_type("nope")
    assert str(refused.value) == UNKNOWN_TYPE


def test_types_endpoint_lists_the_catalog(client):
    response = client.get("/api/biomarkers/types")
    assert response.status_code == 200
    items = {item["code"]: item for item in response.get_json()["items"]}
    assert list(items) == list(CATALOG)
    temperature = items["body_temperature"]
    assert temperature["unit"] == "Cel"
    assert temperature["accepted_units"] == ["Cel", "[degF]"]
    assert temperature["aliases"]["°F"] == "[degF]"
    assert temperature["loinc"] == "8310-5"
    assert temperature["plausible_min"] == 30
    assert temperature["default_thresholds"]["critical_max"] == 39.5
    assert items["steps"]["aggregation"] == "sum"


def test_types_endpoint_says_how_to_show_imperial_units(client):
    items = {item["code"]: item for item in client.get("/api/biomarkers/types").get_json()["items"]}
    assert items["body_temperature"]["imperial"] == {"unit": "[degF]", "scale": 1.8, "offset": 32.0}
    assert items["body_weight"]["imperial"]["unit"] == "[lb_av]"
    assert items["heart_rate"]["imperial"] is None


@pytest.mark.parametrize("code", ["body_weight", "body_temperature"])
@pytest.mark.parametrize("imperial_value", [0.0, 1.0, 98.6, 154.3])
def test_imperial_display_inverts_the_input_conversion(code, imperial_value):
    entry = CATALOG[code]
    display = entry.imperial_display
    assert display is not None
    canonical = entry.to_canonical(imperial_value, display.unit)
    assert canonical * display.scale + display.offset == pytest.approx(imperial_value, abs=1e-6)
