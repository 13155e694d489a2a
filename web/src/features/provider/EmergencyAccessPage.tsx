import { Alert, Button, Card, Checkbox, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertOctagon } from "@tabler/icons-react";
import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";

import { ApiError, errorMessage } from "../../api/errors";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { useOpenEmergencyAccess } from "./api";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Break glass: time-limited access to a patient not in my care, with a reason and a confirmation. */
export function EmergencyAccessPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const open = useOpenEmergencyAccess();
  const [patientId, setPatientId] = useState(params.get("patient") ?? "");
  const [reason, setReason] = useState("");
  const [understood, setUnderstood] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [errors, setErrors] = useState<{ patient?: string; reason?: string; understood?: string }>({});
  const fieldErrors = open.error instanceof ApiError ? open.error.fieldErrors() : {};
  return (
    <>
      <PageHeader
        title="Emergency access"
        description="For a patient who is not in your care, when their consent cannot wait."
      />
      <Stack maw={640}>
        <Alert color="red" variant="light" role="note" icon={<IconAlertOctagon aria-hidden />} title="This is audited">
          Emergency access opens the patient's whole record for a limited time without their consent. The reason you
          give, every page you open and the access itself are recorded with high importance, and the patient is told at
          once.
        </Alert>
        <Card withBorder>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              const found: typeof errors = {};
              if (!UUID.test(patientId.trim()))
                found.patient = "Enter the patient's Healix ID (from their card or record).";
              if (!reason.trim()) found.reason = "Say why consent cannot wait.";
              if (!understood) found.understood = "Confirm that you understand.";
              setErrors(found);
              if (Object.keys(found).length === 0) setConfirming(true);
            }}
          >
            <Stack>
              <FormError>
                {open.error && !(open.error instanceof ApiError && open.error.status === 422)
                  ? open.error instanceof ApiError && open.error.status === 404
                    ? "No patient has this ID."
                    : errorMessage(open.error)
                  : null}
              </FormError>
              <TextInput
                label="Patient ID"
                description="The patient's Healix ID"
                required
                value={patientId}
                error={errors.patient}
                onChange={(event) => {
                  setPatientId(event.currentTarget.value);
                }}
              />
              <Textarea
                label="Reason"
                description="Why the patient's consent cannot wait"
                required
                autosize
                minRows={2}
                maxLength={500}
                value={reason}
                error={errors.reason ?? fieldErrors.reason}
                onChange={(event) => {
                  setReason(event.currentTarget.value);
                }}
              />
              <Checkbox
                label="I understand that this access is audited and that the patient will be told."
                checked={understood}
                error={errors.understood}
                onChange={(event) => {
                  setUnderstood(event.currentTarget.checked);
                }}
              />
              <Button type="submit" color="red" w="fit-content">
                Request emergency access
              </Button>
            </Stack>
          </form>
        </Card>
      </Stack>
      <ConfirmDialog
        opened={confirming}
        title="Open emergency access?"
        confirmLabel="Open emergency access"
        danger
        loading={open.isPending}
        onClose={() => {
          setConfirming(false);
        }}
        onConfirm={() => {
          open.mutate(
            { patientId: patientId.trim(), reason: reason.trim() },
            {
              onSuccess: (relationship) => {
                notifications.show({ color: "red", message: "Emergency access is open" });
                void navigate(`/provider/patients/${relationship.patient_id}`);
              },
              onSettled: () => {
                setConfirming(false);
              },
            },
          );
        }}
      >
        <Text>You are about to open this patient's record without their consent. Continue?</Text>
      </ConfirmDialog>
    </>
  );
}
