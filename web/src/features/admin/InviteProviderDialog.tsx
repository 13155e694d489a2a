import { Alert, Anchor, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { Link } from "react-router";

import { DialogActions } from "../../components/DialogActions";
import { FormError } from "../../components/FormError";
import { applyApiErrors } from "../../lib/forms";
import { formatDateTime } from "../../lib/time";
import { useInviteProvider, type AdminUser } from "./api";
import { fullName } from "./words";

interface Invited {
  user: AdminUser;
  link: string;
  expiresAt: string;
}

/** Invite a provider: the account is created without a password and mailed a link to the
 * set-password page. The same link is shown here, for when the mail does not arrive. */
export function InviteProviderDialog({
  opened,
  onClose,
  timeZone,
}: {
  opened: boolean;
  onClose: () => void;
  timeZone: string;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Invite a provider" centered>
      {opened ? <InviteForm onClose={onClose} timeZone={timeZone} /> : null}
    </Modal>
  );
}

function InviteForm({ onClose, timeZone }: { onClose: () => void; timeZone: string }) {
  const invite = useInviteProvider();
  const [message, setMessage] = useState<string | null>(null);
  const [invited, setInvited] = useState<Invited | null>(null);
  const form = useForm({
    initialValues: { first_name: "", last_name: "", email: "", specialization: "", licence_number: "" },
    validate: {
      first_name: (value) => (value.trim() ? null : "Enter a first name"),
      last_name: (value) => (value.trim() ? null : "Enter a last name"),
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : "Enter an email address"),
      specialization: (value) => (value.trim() ? null : "Enter a specialization"),
      licence_number: (value) => (value.trim() ? null : "Enter a licence number"),
    },
  });

  if (invited) {
    return (
      <Stack>
        <Alert color="teal" variant="light" role="status" title="Invitation sent">
          {fullName(invited.user)} ({invited.user.email}) has been mailed a link to set a password. It works once and
          until {formatDateTime(invited.expiresAt, timeZone)}.
        </Alert>
        <TextInput
          label="Invitation link"
          description="Give it to them yourself if the mail does not arrive. Treat it like a password."
          value={invited.link}
          readOnly
          onFocus={(event) => {
            event.currentTarget.select();
          }}
        />
        <Text size="sm">
          <Anchor component={Link} to={`/admin/users/${invited.user.id}`} onClick={onClose}>
            Open {fullName(invited.user)}'s account
          </Anchor>
        </Text>
        <DialogActions
          onCancel={onClose}
          cancelLabel="Done"
          submitLabel="Invite another"
          onSubmit={() => {
            form.reset();
            setInvited(null);
          }}
        />
      </Stack>
    );
  }

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        setMessage(null);
        invite.mutate(
          {
            first_name: values.first_name.trim(),
            last_name: values.last_name.trim(),
            email: values.email.trim(),
            specialization: values.specialization.trim(),
            licence_number: values.licence_number.trim(),
          },
          {
            onSuccess: (answer) => {
              setInvited({
                user: answer.user,
                link: `${window.location.origin}/set-password#token=${encodeURIComponent(answer.password_set_token)}`,
                expiresAt: answer.expires_at,
              });
            },
            onError: (error) => {
              setMessage(applyApiErrors(form, error));
            },
          },
        );
      })}
    >
      <Stack>
        <Text size="sm">
          They get an email with a link to set their password, then sign in to the provider workspace.
        </Text>
        <FormError>{message}</FormError>
        <TextInput label="First name" required autoComplete="off" {...form.getInputProps("first_name")} />
        <TextInput label="Last name" required autoComplete="off" {...form.getInputProps("last_name")} />
        <TextInput label="Email" type="email" required autoComplete="off" {...form.getInputProps("email")} />
        <TextInput label="Specialization" required {...form.getInputProps("specialization")} />
        <TextInput label="Licence number" required {...form.getInputProps("licence_number")} />
        <DialogActions onCancel={onClose} submitLabel="Send invitation" loading={invite.isPending} />
      </Stack>
    </form>
  );
}
