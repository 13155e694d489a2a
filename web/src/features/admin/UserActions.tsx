import { Alert, Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useNavigate } from "react-router";

import { errorMessage } from "../../api/errors";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DialogActions } from "../../components/DialogActions";
import { FormError } from "../../components/FormError";
import { useEraseUser, useUpdateUser, type AdminUser } from "./api";
import { erasureConfirmed, fullName, selfProtection } from "./words";

type Dialog = "deactivate" | "grant" | "revoke" | "erase" | null;

/** What an admin may do to an account: status, the provider role, erasure. The server
 * decides the last-admin rule; its refusal shows here in words. */
export function UserActions({ user, me }: { user: AdminUser; me: { id: string } | null }) {
  const update = useUpdateUser();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<string | null>(null);
  const name = fullName(user);
  const own = selfProtection(user, me);
  const close = () => {
    setDialog(null);
  };

  const change = (body: Parameters<typeof update.mutate>[0]["body"], done: string) => {
    setError(null);
    update.mutate(
      { userId: user.id, body },
      {
        onSuccess: () => {
          notifications.show({ color: "teal", message: done });
          close();
        },
        onError: (failure) => {
          setError(errorMessage(failure));
          close();
        },
      },
    );
  };

  if (user.status === "erased") {
    return <Text>This account was erased: nothing about it can be changed.</Text>;
  }
  return (
    <Stack>
      {own ? (
        <Alert color="blue" variant="light">
          {own}
        </Alert>
      ) : null}
      <FormError>{error}</FormError>
      <Group gap="sm" wrap="wrap">
        {user.status === "active" ? (
          <Button
            variant="default"
            disabled={Boolean(own)}
            onClick={() => {
              setDialog("deactivate");
            }}
          >
            Deactivate
          </Button>
        ) : (
          <Button
            variant="default"
            loading={update.isPending}
            onClick={() => {
              change({ status: "active" }, `${name} can sign in again`);
            }}
          >
            Reactivate
          </Button>
        )}
        {user.role === "patient" ? (
          <Button
            variant="default"
            onClick={() => {
              setDialog("grant");
            }}
          >
            Grant the provider role
          </Button>
        ) : null}
        {user.role === "provider" ? (
          <Button
            variant="default"
            onClick={() => {
              setDialog("revoke");
            }}
          >
            Revoke the provider role
          </Button>
        ) : null}
        <Button
          color="red"
          variant="outline"
          disabled={Boolean(own)}
          onClick={() => {
            setDialog("erase");
          }}
        >
          Erase account
        </Button>
      </Group>

      <ConfirmDialog
        opened={dialog === "deactivate"}
        title={`Deactivate ${name}?`}
        confirmLabel="Deactivate"
        danger
        loading={update.isPending}
        onConfirm={() => {
          change({ status: "inactive" }, `${name} is deactivated and signed out`);
        }}
        onClose={close}
      >
        They are signed out everywhere at once and cannot sign in until reactivated. Their records stay.
      </ConfirmDialog>
      <ConfirmDialog
        opened={dialog === "revoke"}
        title={`Revoke ${name}'s provider role?`}
        confirmLabel="Revoke the provider role"
        danger
        loading={update.isPending}
        onConfirm={() => {
          change({ role: "patient" }, `${name} is no longer a provider`);
        }}
        onClose={close}
      >
        They become a patient account. Their care relationships end now, and their specialization and licence number are
        removed. Prescriptions they wrote stay.
      </ConfirmDialog>
      <GrantProviderDialog
        opened={dialog === "grant"}
        user={user}
        loading={update.isPending}
        onClose={close}
        onGrant={(specialization, licence) => {
          change({ role: "provider", specialization, licence_number: licence || null }, `${name} is now a provider`);
        }}
      />
      <EraseDialog opened={dialog === "erase"} user={user} onClose={close} />
    </Stack>
  );
}

function GrantProviderDialog({
  opened,
  user,
  loading,
  onClose,
  onGrant,
}: {
  opened: boolean;
  user: AdminUser;
  loading: boolean;
  onClose: () => void;
  onGrant: (specialization: string, licence: string) => void;
}) {
  const [specialization, setSpecialization] = useState(user.specialization ?? "");
  const [licence, setLicence] = useState(user.licence_number ?? "");
  return (
    <Modal opened={opened} onClose={onClose} title={`Make ${fullName(user)} a provider`} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (specialization.trim()) onGrant(specialization.trim(), licence.trim());
        }}
      >
        <Stack>
          <Text size="sm">Providers see the health data of the patients in their care.</Text>
          <TextInput
            label="Specialization"
            required
            maxLength={120}
            value={specialization}
            onChange={(event) => {
              setSpecialization(event.currentTarget.value);
            }}
          />
          <TextInput
            label="Licence number"
            maxLength={64}
            value={licence}
            onChange={(event) => {
              setLicence(event.currentTarget.value);
            }}
          />
          <DialogActions
            onCancel={onClose}
            submitLabel="Grant the provider role"
            loading={loading}
            disabled={!specialization.trim()}
          />
        </Stack>
      </form>
    </Modal>
  );
}

function EraseDialog({ opened, user, onClose }: { opened: boolean; user: AdminUser; onClose: () => void }) {
  const erase = useEraseUser();
  const navigate = useNavigate();
  const [typed, setTyped] = useState("");
  const name = fullName(user);
  const confirmed = erasureConfirmed(typed, user);
  return (
    <Modal opened={opened} onClose={onClose} title={`Erase ${name}'s account?`} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!confirmed) return;
          // mutateAsync: the page shows the erased account at once, which unmounts this dialog
          erase
            .mutateAsync(user.id)
            .then(() => {
              notifications.show({ color: "teal", message: `${name}'s personal data was erased` });
              void navigate("/admin/users");
            })
            .catch(() => undefined);
        }}
      >
        <Stack>
          <Text size="sm">
            This cannot be undone. Their personal data is deleted; appointments and prescriptions that must be kept
            stay, de-identified. The audit log keeps a record of the erasure.
          </Text>
          <FormError>{erase.error ? errorMessage(erase.error) : null}</FormError>
          <TextInput
            label={`Type "${name}" to confirm`}
            autoComplete="off"
            value={typed}
            onChange={(event) => {
              setTyped(event.currentTarget.value);
            }}
          />
          <DialogActions
            onCancel={onClose}
            submitLabel="Erase for good"
            danger
            loading={erase.isPending}
            disabled={!confirmed}
          />
        </Stack>
      </form>
    </Modal>
  );
}
