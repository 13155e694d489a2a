import { Button, Group } from "@mantine/core";

interface DialogActionsProps {
  onCancel: () => void;
  submitLabel: string;
  cancelLabel?: string;
  loading?: boolean;
  disabled?: boolean;
  danger?: boolean;
  /** without it the main button submits its form */
  onSubmit?: () => void;
}

/** The buttons at the foot of a dialog: cancel, then the main action. */
export function DialogActions({
  onCancel,
  submitLabel,
  cancelLabel = "Cancel",
  loading,
  disabled,
  danger,
  onSubmit,
}: DialogActionsProps) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {cancelLabel}
      </Button>
      <Button
        type={onSubmit ? "button" : "submit"}
        onClick={onSubmit}
        color={danger ? "red" : undefined}
        loading={loading}
        disabled={disabled}
      >
        {submitLabel}
      </Button>
    </Group>
  );
}
