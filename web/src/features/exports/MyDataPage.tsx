import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  List,
  PasswordInput,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDownload } from "@tabler/icons-react";
import { useState } from "react";
import { useNavigate } from "react-router";

import { ApiError, errorMessage } from "../../api/errors";
import { PageHeader } from "../../components/PageHeader";
import { addDays, startOfDayIso, todayIn } from "../../lib/time";
import { useSession } from "../auth/session";
import { isBiomarkerCode, type BiomarkerCode } from "../biomarkers/api";
import { useDisplayUnits } from "../biomarkers/useDisplayUnits";
import { ImportsList } from "../imports/ImportsList";
import { usePreferences } from "../profile/api";
import { downloadCsv, downloadFhir, downloadReport, useDeleteAccount } from "./api";

function useDownload() {
  const [busy, setBusy] = useState<string | null>(null);
  const run = (name: string, task: () => Promise<void>) => {
    setBusy(name);
    task()
      .then(() => notifications.show({ color: "teal", message: "Download started" }))
      .catch((error: unknown) =>
        notifications.show({ color: "red", title: "Download failed", message: errorMessage(error) }),
      )
      .finally(() => {
        setBusy(null);
      });
  };
  return { busy, run };
}

function DeleteAccount() {
  const remove = useDeleteAccount();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const [password, setPassword] = useState("");
  const [understood, setUnderstood] = useState(false);
  return (
    <Card withBorder style={{ borderColor: "var(--mantine-color-red-6)" }}>
      <Title order={2} fz="lg" mb="sm">
        Delete my account
      </Title>
      <Stack>
        <Text>Deleting your account cannot be undone.</Text>
        <List size="sm" spacing={4}>
          <List.Item>
            <strong>Deleted:</strong> your profile, devices, readings, imports, goals, thresholds, alerts, notifications
            and sessions, and your care team.
          </List.Item>
          <List.Item>
            <strong>Kept without your name:</strong> appointments and prescriptions, which your providers must keep by
            law; what you wrote in them (reasons, notes) is erased.
          </List.Item>
          <List.Item>
            <strong>Kept:</strong> the audit log, which holds only ids, so the record of who accessed what stays
            verifiable.
          </List.Item>
        </List>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            remove.mutate(password, {
              onSuccess: () => {
                void signOut().finally(() => navigate("/sign-in", { replace: true }));
              },
            });
          }}
        >
          <Stack>
            {remove.error ? (
              <Alert color="red" variant="light" role="alert">
                {remove.error instanceof ApiError && remove.error.status === 403
                  ? "The password is incorrect."
                  : errorMessage(remove.error)}
              </Alert>
            ) : null}
            <Checkbox
              label="I understand that my account and health data will be deleted"
              checked={understood}
              onChange={(event) => {
                setUnderstood(event.currentTarget.checked);
              }}
            />
            <PasswordInput
              label="Your password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => {
                setPassword(event.currentTarget.value);
              }}
              w={{ base: "100%", sm: 320 }}
            />
            <Group>
              <Button type="submit" color="red" disabled={!understood || !password} loading={remove.isPending}>
                Delete my account
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Card>
  );
}

export function MyDataPage() {
  const { timeZone } = usePreferences();
  const { types } = useDisplayUnits();
  const today = todayIn(timeZone);
  const [from, setFrom] = useState(addDays(today, -29));
  const [to, setTo] = useState(today);
  const [protect, setProtect] = useState(false);
  const [password, setPassword] = useState("");
  const [csvType, setCsvType] = useState<BiomarkerCode | null>(null);
  const [fhirScope, setFhirScope] = useState<"period" | "all">("period");
  const { busy, run } = useDownload();
  const period = { from: startOfDayIso(from, timeZone), to: startOfDayIso(addDays(to, 1), timeZone) };
  const periodValid = from !== "" && to !== "" && from <= to;
  const passwordError = protect && password.length > 0 && password.length < 8 ? "Use at least 8 characters." : null;

  return (
    <>
      <PageHeader
        title="My data"
        description="Download your health record, see your imports, or delete your account."
      />
      <Stack gap="lg">
        <Card withBorder>
          <Title order={2} fz="lg" mb="sm">
            Period
          </Title>
          <Group align="flex-start">
            <TextInput
              label="From"
              type="date"
              value={from}
              max={to}
              onChange={(event) => {
                setFrom(event.currentTarget.value);
              }}
            />
            <TextInput
              label="To"
              type="date"
              value={to}
              min={from}
              onChange={(event) => {
                setTo(event.currentTarget.value);
              }}
              error={periodValid ? null : "The start must not be after the end."}
            />
          </Group>
        </Card>
        <Card withBorder>
          <Title order={2} fz="lg" mb="xs">
            Health report (PDF)
          </Title>
          <Text size="sm" mb="sm">
            Latest values, charts with your ranges, alerts, goals, appointments and prescriptions for the period.
          </Text>
          <Stack>
            <Checkbox
              label="Protect the PDF with a password"
              checked={protect}
              onChange={(event) => {
                setProtect(event.currentTarget.checked);
              }}
            />
            {protect ? (
              <PasswordInput
                label="PDF password"
                description="8 to 128 characters; you need it to open the file."
                autoComplete="new-password"
                value={password}
                onChange={(event) => {
                  setPassword(event.currentTarget.value);
                }}
                error={passwordError}
                w={{ base: "100%", sm: 320 }}
              />
            ) : null}
            <Group>
              <Button
                leftSection={<IconDownload size={16} aria-hidden />}
                loading={busy === "report"}
                disabled={!periodValid || (protect && password.length < 8)}
                onClick={() => {
                  run("report", () => downloadReport(period, protect ? password : null));
                }}
              >
                Download the report
              </Button>
            </Group>
          </Stack>
        </Card>
        <Card withBorder>
          <Title order={2} fz="lg" mb="xs">
            Readings (CSV)
          </Title>
          <Group align="flex-end">
            <Select
              label="Measurement"
              placeholder="All measurements"
              clearable
              data={[...types.values()].map((type) => ({ value: type.code, label: type.display_name }))}
              value={csvType}
              onChange={(value) => {
                setCsvType(isBiomarkerCode(value) ? value : null);
              }}
              w={260}
            />
            <Button
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
              loading={busy === "csv"}
              disabled={!periodValid}
              onClick={() => {
                run("csv", () => downloadCsv(period, csvType));
              }}
            >
              Download CSV
            </Button>
          </Group>
        </Card>
        <Card withBorder>
          <Title order={2} fz="lg" mb="xs">
            Health record for other systems (FHIR)
          </Title>
          <Text size="sm" mb="sm">
            Your record as a FHIR R4 bundle, the format other health systems import.
          </Text>
          <Radio.Group
            label="What to include"
            value={fhirScope}
            onChange={(value) => {
              setFhirScope(value === "all" ? "all" : "period");
            }}
            mb="sm"
          >
            <Stack gap={6} mt={6}>
              <Radio
                value="period"
                label="The period above: its readings, appointments, prescriptions, goals and alerts"
              />
              <Radio value="all" label="My whole record (can be large: every reading since you started)" />
            </Stack>
          </Radio.Group>
          <Button
            variant="default"
            leftSection={<IconDownload size={16} aria-hidden />}
            loading={busy === "fhir"}
            disabled={fhirScope === "period" && !periodValid}
            onClick={() => {
              run("fhir", () => downloadFhir(fhirScope === "all" ? null : period));
            }}
          >
            Download FHIR bundle
          </Button>
        </Card>
        <ImportsList />
        <DeleteAccount />
      </Stack>
    </>
  );
}
