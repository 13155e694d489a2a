"""Test factories, one module per domain: rows written straight into the database (and a few
helpers that go through the API), each a plain function taking the `app` fixture.

users          TestUser, SignedIn, create_user, sign_in, link (+ fixtures make_user,
               signed_in, patient, provider, admin, care_link)
db             get_row, count
audit          audit_rows, record_events, bypass_append_only
appointments   next_weekday, at, next_monday_at, insert_appointment, book
prescriptions  today, prescription_body, make_prescription, make_refill
notifications  make_notification, notifications_for
biomarkers     reading_row, insert_readings, add_reading, bulk_readings, set_threshold,
               set_profile (+ fixtures add_readings, patient_timezone, personal_threshold)
devices        add_device, register_device, reading, at, ingest, as_uuid
health         add_alert, add_goal
accounts       mail capture, password tokens, personal data of an erasure
"""
