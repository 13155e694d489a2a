import { Alert, Button, Code, List, Stack, Text, TextInput } from "@mantine/core";
import { toDataURL } from "qrcode";
import { useEffect, useState } from "react";

/** The otpauth:// URI as a QR code for the authenticator app, and the secret to type in. */
export function SecretQrCode({ uri, secret }: { uri: string; secret: string }) {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void toDataURL(uri, { margin: 1, width: 200 }).then((url) => {
      if (live) setImage(url);
    });
    return () => {
      live = false;
    };
  }, [uri]);
  return (
    <Stack gap="xs">
      <Text>Scan this QR code with your authenticator app (for example Aegis, Google Authenticator or 1Password).</Text>
      {image ? (
        <img src={image} width={200} height={200} alt="QR code to add Healix to your authenticator app" />
      ) : null}
      <Text size="sm">
        Cannot scan it? Enter this key in the app instead: <Code data-testid="mfa-secret">{secret}</Code>
      </Text>
    </Stack>
  );
}

/** The six-digit code field (also takes a recovery code where `allowRecovery`). */
export function CodeInput({
  value,
  onChange,
  error,
  allowRecovery = false,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  allowRecovery?: boolean;
}) {
  return (
    <TextInput
      label="Authentication code"
      description={
        allowRecovery
          ? "The 6-digit code from your authenticator app, or one of your recovery codes."
          : "The 6-digit code your authenticator app shows now."
      }
      autoComplete="one-time-code"
      inputMode={allowRecovery ? "text" : "numeric"}
      required
      value={value}
      error={error ?? undefined}
      onChange={(event) => {
        onChange(event.currentTarget.value);
      }}
    />
  );
}

/** The recovery codes, shown once after setup. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <Stack>
      <Alert color="teal" variant="light" role="status" title="Two-factor sign-in is on">
        Keep these recovery codes somewhere safe. Each works once, in place of a code, if you lose your phone. They are
        shown only now.
      </Alert>
      <List aria-label="Recovery codes" ff="monospace">
        {codes.map((code) => (
          <List.Item key={code}>{code}</List.Item>
        ))}
      </List>
      <Button onClick={onDone} w="fit-content">
        I have saved my recovery codes
      </Button>
    </Stack>
  );
}
