"""The catalog: unit resolution and conversion, plausibility, and its HTTP listing."""

from __future__ import annotations

import pytest

from healix.biomarker_catalog import CATALOG, UNKNOWN_TYPE, Units, check_type


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


@pytest.mark.parametrize("code", list(CATALOG))
@pytest.mark.parametrize("units", list(Units))
def test_display_units_are_accepted_inputs_and_invert_their_conversion(code, units):
    """What a person reads (e.g. 98.6 °F) can be typed back in as is and stores the same value."""
    entry = CATALOG[code]
    display = entry.display(units)
    assert entry.resolve_unit(display.code) == display.code
    for canonical in (0.0, 37.0, 120.0):
        shown = display.convert(canonical)
        assert entry.to_canonical(shown, display.code) == pytest.approx(canonical)
    assert entry.unit_label(display.code) == display.label


def test_display_labels_are_for_people():
    labels = {code: CATALOG[code].display(Units.METRIC).label for code in CATALOG}
    assert labels["heart_rate"] == "bpm"
    assert labels["steps"] == "steps"
    assert labels["body_temperature"] == "°C"
    assert labels["blood_glucose"] == "mmol/L"
    assert CATALOG["body_temperature"].display(Units.IMPERIAL).label == "°F"
    assert CATALOG["body_weight"].display(Units.IMPERIAL).label == "lb"
    assert CATALOG["blood_glucose"].display(Units.IMPERIAL).label == "mg/dL"


def test_types_endpoint_says_how_to_show_each_unit_system(client):
    items = {item["code"]: item for item in client.get("/api/biomarkers/types").get_json()["items"]}
    assert items["body_temperature"]["display"] == {
        "metric": {"code": "Cel", "label": "°C", "factor": 1.0, "offset": 0.0},
        "imperial": {"code": "[degF]", "label": "°F", "factor": 1.8, "offset": 32.0},
    }
    assert items["body_weight"]["display"]["imperial"]["code"] == "[lb_av]"
    assert items["heart_rate"]["display"]["imperial"]["label"] == "bpm"
