import {
  Alert,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Menu,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCheck, IconCopy, IconPlus } from "@tabler/icons-react";
import { useState } from "react";

import type { Schemas } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { CardList } from "../../components/CardList";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DialogActions } from "../../components/DialogActions";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { StatusBadge } from "../../components/StatusBadge";
import { applyApiErrors } from "../../lib/forms";
import { formatDateTime } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { useDeleteDevice, useDevices, useRegisterDevice, useRotateKey, useUpdateDevice, type Device } from "./api";

const DEVICE_TYPES = [
  { value: "smartwatch", label: "Smartwatch" },
  { value: "fitness_tracker", label: "Fitness tracker" },
  { value: "blood_pressure_monitor", label: "Blood pressure monitor" },
  { value: "glucose_meter", label: "Glucose meter" },
  { value: "pulse_oximeter", label: "Pulse oximeter" },
  { value: "scale", label: "Scale" },
  { value: "thermometer", label: "Thermometer" },
  { value: "sleep_tracker", label: "Sleep tracker" },
  { value: "other", label: "Other" },
];

/** The API key, shown once: copy it now, it cannot be shown again. */
export function ApiKeyNotice({
  apiKey,
  deviceName,
  onDone,
}: {
  apiKey: string;
  deviceName: string;
  onDone: () => void;
}) {
  return (
    <Stack>
      <Alert
        color="yellow"
        variant="light"
        icon={<IconAlertTriangle aria-hidden />}
        title="Copy the key now"
        role="alert"
      >
        This is the only time the key of {deviceName} is shown. Healix keeps only a fingerprint of it. Enter it in the
        device or its app; anyone with the key can upload readings as this device.
      </Alert>
      <Code block aria-label="API key" style={{ wordBreak: "break-all" }}>
        {apiKey}
      </Code>
      <Group justify="space-between">
        <CopyButton value={apiKey}>
          {({ copied, copy }) => (
            <Button
              variant={copied ? "light" : "filled"}
              leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              onClick={copy}
            >
              {copied ? "Copied" : "Copy the key"}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" onClick={onDone}>
          I have saved it
        </Button>
      </Group>
    </Stack>
  );
}

function RegisterDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const register = useRegisterDevice();
  const [message, setMessage] = useState<string | null>(null);
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const form = useForm({
    initialValues: { device_type: "smartwatch", name: "", manufacturer: "", model: "" },
    validate: { name: (value) => (value.trim() ? null : "Give the device a name.") },
  });
  const close = () => {
    form.reset();
    setCreated(null);
    setMessage(null);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? "Device registered" : "Register a device"}
      centered
      closeOnClickOutside={!created}
    >
      {created ? (
        <ApiKeyNotice apiKey={created.key} deviceName={created.name} onDone={close} />
      ) : (
        <form
          onSubmit={form.onSubmit((values) => {
            setMessage(null);
            register.mutate(
              {
                device_type: values.device_type as Schemas["DeviceType"],
                name: values.name.trim(),
                manufacturer: values.manufacturer.trim() || null,
                model: values.model.trim() || null,
              },
              {
                onSuccess: (result) => {
                  setCreated({ key: result.api_key, name: result.device.name });
                },
                onError: (error) => {
                  setMessage(applyApiErrors(form, error));
                },
              },
            );
          })}
          noValidate
        >
          <Stack>
            <FormError>{message}</FormError>
            <Select
              label="Kind of device"
              data={DEVICE_TYPES}
              allowDeselect={false}
              {...form.getInputProps("device_type")}
            />
            <TextInput
              label="Name"
              placeholder="e.g. My watch"
              required
              maxLength={120}
              {...form.getInputProps("name")}
            />
            <Group grow align="flex-start">
              <TextInput label="Maker (optional)" maxLength={120} {...form.getInputProps("manufacturer")} />
              <TextInput label="Model (optional)" maxLength={120} {...form.getInputProps("model")} />
            </Group>
            <DialogActions onCancel={close} submitLabel="Register" loading={register.isPending} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function RenameDialog({ device, onClose }: { device: Device | null; onClose: () => void }) {
  const update = useUpdateDevice();
  const [name, setName] = useState(device?.name ?? "");
  return (
    <Modal opened={device !== null} onClose={onClose} title="Rename the device" centered>
      {device ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!name.trim()) return;
            update.mutate({ id: device.id, name: name.trim() }, { onSuccess: onClose });
          }}
        >
          <Stack>
            <FormError>{update.error ? errorMessage(update.error) : null}</FormError>
            <TextInput
              label="Name"
              required
              maxLength={120}
              value={name}
              onChange={(event) => {
                setName(event.currentTarget.value);
              }}
              error={name.trim() ? null : "Give the device a name."}
            />
            <DialogActions onCancel={onClose} submitLabel="Save" loading={update.isPending} />
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}

export function DevicesPage() {
  const { timeZone } = usePreferences();
  const devices = useDevices();
  const update = useUpdateDevice();
  const rotate = useRotateKey();
  const remove = useDeleteDevice();
  const [registering, setRegistering] = useState(false);
  const [renaming, setRenaming] = useState<Device | null>(null);
  const [rotating, setRotating] = useState<Device | null>(null);
  const [rotated, setRotated] = useState<{ key: string; name: string } | null>(null);
  const [removing, setRemoving] = useState<Device | null>(null);
  const fail = (error: unknown) => notifications.show({ color: "red", message: errorMessage(error) });

  return (
    <>
      <PageHeader
        title="Devices"
        description="Watches, monitors and scales that upload readings with their own key."
        actions={
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => {
              setRegistering(true);
            }}
          >
            Register a device
          </Button>
        }
      />
      <PagedList
        query={devices}
        loadingLabel="Loading devices…"
        empty="No devices yet. Register one to upload readings automatically."
      >
        {(items) => (
          <CardList label="Devices">
            {items.map((device) => (
              <Card withBorder component="li" key={device.id}>
                <Group justify="space-between" align="flex-start" wrap="wrap">
                  <Stack gap={4}>
                    <Group gap="xs">
                      <Text fw={600}>{device.name}</Text>
                      <StatusBadge status={device.status} />
                    </Group>
                    <Text size="sm">
                      {DEVICE_TYPES.find((type) => type.value === device.device_type)?.label ?? device.device_type}
                      {device.manufacturer ? ` · ${device.manufacturer}` : ""}
                      {device.model ? ` ${device.model}` : ""}
                    </Text>
                    <Text size="sm" c="dimmed">
                      Key starting <Code>{device.api_key_prefix}</Code> ·{" "}
                      {device.last_sync_at
                        ? `last upload ${formatDateTime(device.last_sync_at, timeZone)}`
                        : "no upload yet"}
                    </Text>
                  </Stack>
                  <Menu position="bottom-end">
                    <Menu.Target>
                      <Button size="xs" variant="default" aria-label={`Manage ${device.name}`}>
                        Manage
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item
                        onClick={() => {
                          setRenaming(device);
                        }}
                      >
                        Rename
                      </Menu.Item>
                      <Menu.Item
                        onClick={() => {
                          update.mutate(
                            { id: device.id, status: device.status === "active" ? "inactive" : "active" },
                            {
                              onError: fail,
                              onSuccess: () =>
                                notifications.show({
                                  color: "teal",
                                  message:
                                    device.status === "active"
                                      ? "Device deactivated: its key is refused"
                                      : "Device active again",
                                }),
                            },
                          );
                        }}
                      >
                        {device.status === "active" ? "Deactivate" : "Activate"}
                      </Menu.Item>
                      <Menu.Item
                        onClick={() => {
                          setRotating(device);
                        }}
                      >
                        New key
                      </Menu.Item>
                      <Menu.Divider />
                      <Menu.Item
                        color="red"
                        onClick={() => {
                          setRemoving(device);
                        }}
                      >
                        Remove
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                </Group>
              </Card>
            ))}
          </CardList>
        )}
      </PagedList>
      <RegisterDialog
        opened={registering}
        onClose={() => {
          setRegistering(false);
        }}
      />
      {renaming ? (
        <RenameDialog
          key={renaming.id}
          device={renaming}
          onClose={() => {
            setRenaming(null);
          }}
        />
      ) : null}
      <ConfirmDialog
        opened={rotating !== null}
        title="Issue a new key?"
        confirmLabel="Issue new key"
        loading={rotate.isPending}
        onClose={() => {
          setRotating(null);
        }}
        onConfirm={() => {
          if (!rotating) return;
          rotate.mutate(rotating.id, {
            onSuccess: (result) => {
              setRotated({ key: result.api_key, name: result.device.name });
              setRotating(null);
            },
            onError: fail,
          });
        }}
      >
        The current key of {rotating?.name} stops working at once. You will need to enter the new key in the device.
      </ConfirmDialog>
      <Modal
        opened={rotated !== null}
        onClose={() => {
          setRotated(null);
        }}
        title="New key issued"
        centered
        closeOnClickOutside={false}
      >
        {rotated ? (
          <ApiKeyNotice
            apiKey={rotated.key}
            deviceName={rotated.name}
            onDone={() => {
              setRotated(null);
            }}
          />
        ) : null}
      </Modal>
      <ConfirmDialog
        opened={removing !== null}
        title="Remove the device?"
        confirmLabel="Remove device"
        danger
        loading={remove.isPending}
        onClose={() => {
          setRemoving(null);
        }}
        onConfirm={() => {
          if (!removing) return;
          remove.mutate(removing.id, {
            onSuccess: () => {
              notifications.show({ color: "teal", message: "Device removed; its readings are kept" });
              setRemoving(null);
            },
            onError: fail,
          });
        }}
      >
        {removing?.name} can no longer upload. The readings it sent stay in your history.
      </ConfirmDialog>
    </>
  );
}
