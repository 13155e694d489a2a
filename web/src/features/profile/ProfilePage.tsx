import {
  Anchor,
  Autocomplete,
  Button,
  Card,
  Group,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useLocation } from "react-router";

import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { applyApiErrors } from "../../lib/forms";
import { PASSWORD_HINT } from "../auth/SignUpPage";
import { CalendarFeedCard } from "../calendar/CalendarFeedCard";
import { useChangePassword, useProfile, useUpdateProfile, type Profile, type ProfileUpdate } from "./api";

/** Labels of the notification settings the server knows; other keys it stores show by name. */
const NOTIFICATION_LABELS: Record<string, string> = {
  in_app: "Notifications in Healix",
  email: "Emails (turn off to receive only security emails)",
  email_appointments: "Emails about appointments booked, moved or cancelled",
  email_reminders: "Appointment reminders by email (a day and an hour before)",
  email_alerts: "Emails about critical alerts",
  email_prescriptions: "Emails about prescriptions and refills",
};

/** Offered while typing; any other description (up to 40 characters) is kept as written. */
const GENDER_SUGGESTIONS = ["female", "male", "non-binary", "prefer not to say"];

function timeZones(current: string): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return zones.includes(current) ? zones : [current, ...zones];
}

function ProfileForm({ profile }: { profile: Profile }) {
  const update = useUpdateProfile();
  const [message, setMessage] = useState<string | null>(null);
  const timezone = profile.timezone ?? "UTC";
  const notificationSettings = useRef<HTMLDivElement>(null);
  const location = useLocation();
  useEffect(() => {
    if (location.hash === "#notification-settings") notificationSettings.current?.focus();
  }, [location.hash]);
  const zones = useMemo(() => timeZones(timezone), [timezone]);
  const form = useForm({
    initialValues: {
      first_name: profile.first_name,
      last_name: profile.last_name,
      date_of_birth: profile.date_of_birth ?? "",
      gender: profile.gender ?? "",
      phone: profile.phone ?? "",
      timezone,
      units: profile.preferences?.units ?? "metric",
      notifications: { ...profile.preferences?.notifications },
    },
    validate: {
      first_name: (value) => (value.trim() ? null : "Enter your first name."),
      last_name: (value) => (value.trim() ? null : "Enter your last name."),
    },
  });
  const submit = form.onSubmit((values) => {
    setMessage(null);
    update.mutate(
      {
        first_name: values.first_name.trim(),
        last_name: values.last_name.trim(),
        date_of_birth: values.date_of_birth || null,
        gender: values.gender.trim() || null,
        phone: values.phone.trim() || null,
        // the browser's IANA names; one the server does not know comes back as a 422 on the field
        timezone: values.timezone as NonNullable<ProfileUpdate["timezone"]>,
        preferences: { units: values.units, notifications: values.notifications },
      },
      {
        onSuccess: () => notifications.show({ color: "teal", message: "Profile saved" }),
        onError: (error) => {
          setMessage(applyApiErrors(form, error, { "preferences.units": "units" }));
        },
      },
    );
  });
  return (
    <Card withBorder>
      <Title order={2} fz="lg" mb="sm">
        About you
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError>{message}</FormError>
          <Text size="sm">Email: {profile.email}</Text>
          <Group grow align="flex-start" wrap="wrap">
            <TextInput label="First name" autoComplete="given-name" required {...form.getInputProps("first_name")} />
            <TextInput label="Last name" autoComplete="family-name" required {...form.getInputProps("last_name")} />
          </Group>
          <Group grow align="flex-start" wrap="wrap">
            <TextInput label="Date of birth" type="date" autoComplete="bday" {...form.getInputProps("date_of_birth")} />
            <Autocomplete
              label="Gender"
              description="As you describe it; your records for other health systems say female, male, other or unknown."
              data={GENDER_SUGGESTIONS}
              maxLength={40}
              autoComplete="sex"
              {...form.getInputProps("gender")}
            />
          </Group>
          <Group grow align="flex-start" wrap="wrap">
            <TextInput label="Phone" type="tel" autoComplete="tel" {...form.getInputProps("phone")} />
          </Group>
          <Select
            label="Time zone"
            description="Times everywhere in Healix are shown in this zone."
            searchable
            data={zones}
            allowDeselect={false}
            {...form.getInputProps("timezone")}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="units-label">
              Units
            </Text>
            <SegmentedControl
              aria-labelledby="units-label"
              w="fit-content"
              data={[
                { value: "metric", label: "Metric (kg, °C)" },
                { value: "imperial", label: "Imperial (lb, °F)" },
              ]}
              {...form.getInputProps("units")}
            />
          </Stack>
          <Stack gap="xs" id="notification-settings" ref={notificationSettings} tabIndex={-1}>
            <Text size="sm" fw={500}>
              Notification settings
            </Text>
            <Text size="sm" c="dimmed">
              Security emails (password reset, a provider's emergency access) are always sent. Emails never contain
              health data.
            </Text>
            {Object.keys(form.values.notifications).map((key) => (
              <Switch
                key={key}
                label={NOTIFICATION_LABELS[key] ?? key.replace(/_/g, " ")}
                checked={form.values.notifications[key] ?? false}
                onChange={(event) => {
                  form.setFieldValue("notifications", {
                    ...form.values.notifications,
                    [key]: event.currentTarget.checked,
                  });
                }}
              />
            ))}
          </Stack>
          <Group>
            <Button type="submit" loading={update.isPending}>
              Save profile
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function ChangePasswordForm() {
  const change = useChangePassword();
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm({
    initialValues: { current_password: "", new_password: "", repeat: "" },
    validate: {
      current_password: (value) => (value ? null : "Enter your current password."),
      new_password: (value) => (value.length >= 12 ? null : "Use at least 12 characters."),
      repeat: (value, values) => (value === values.new_password ? null : "The two passwords differ."),
    },
  });
  const submit = form.onSubmit((values) => {
    setMessage(null);
    change.mutate(
      { current_password: values.current_password, new_password: values.new_password },
      {
        onSuccess: () => {
          form.reset();
          notifications.show({ color: "teal", message: "Password changed. Your other sessions are signed out." });
        },
        onError: (error) => {
          setMessage(applyApiErrors(form, error));
        },
      },
    );
  });
  return (
    <Card withBorder>
      <Title order={2} fz="lg" mb="sm">
        Change password
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack maw={420}>
          <FormError>{message}</FormError>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            {...form.getInputProps("current_password")}
          />
          <PasswordInput
            label="New password"
            description={PASSWORD_HINT}
            autoComplete="new-password"
            required
            {...form.getInputProps("new_password")}
          />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            required
            {...form.getInputProps("repeat")}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

export function ProfilePage() {
  const profile = useProfile();
  return (
    <>
      <PageHeader title="Profile and settings" />
      <Stack gap="lg">
        <QueryState query={profile}>{(data) => <ProfileForm profile={data} />}</QueryState>
        <CalendarFeedCard />
        <ChangePasswordForm />
        <Card withBorder component="section" aria-label="Two-factor sign-in">
          <Text>
            Protect your account with a code from your phone:{" "}
            <Anchor component={Link} to="/settings/security">
              two-factor sign-in settings
            </Anchor>
            .
          </Text>
        </Card>
      </Stack>
    </>
  );
}
