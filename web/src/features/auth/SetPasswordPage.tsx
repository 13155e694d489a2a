import { Alert, Anchor, Button, PasswordInput, Stack, Text } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useEffect, useState } from "react";
import { Link } from "react-router";

import { applyApiErrors } from "../../lib/forms";
import { AuthFrame } from "./AuthFrame";
import { PASSWORD_HINT } from "./SignUpPage";
import { useConfirmPassword } from "./api";

/**
 * The token arrives in the URL fragment (`#token=...`), which browsers never send to a server
 * or put in a Referer. It is read once and removed from the address bar and history.
 */
export function readTokenFromHash(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, "")).get("token");
}

function PasswordPage({ title, intro, done }: { title: string; intro: string; done: string }) {
  const [token] = useState(() => readTokenFromHash(window.location.hash));
  useEffect(() => {
    if (window.location.hash) {
      window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    }
  }, []);
  const confirm = useConfirmPassword();
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm({
    initialValues: { new_password: "", repeat: "" },
    validate: {
      new_password: (value) => (value.length >= 12 ? null : "Use at least 12 characters."),
      repeat: (value, values) => (value === values.new_password ? null : "The two passwords differ."),
    },
  });

  const submit = form.onSubmit((values) => {
    if (!token) return;
    setMessage(null);
    confirm.mutate(
      { token, new_password: values.new_password },
      {
        onError: (error) => {
          setMessage(applyApiErrors(form, error));
        },
      },
    );
  });

  if (!token) {
    return (
      <AuthFrame title={title}>
        <Alert color="red" variant="light" role="alert">
          This link is incomplete. Open the link from your email again, or ask for a new one.
        </Alert>
        <Anchor component={Link} to="/forgot-password">
          Ask for a new link
        </Anchor>
      </AuthFrame>
    );
  }
  if (confirm.isSuccess) {
    return (
      <AuthFrame title={title}>
        <Alert color="teal" variant="light" role="status">
          {done}
        </Alert>
        <Button component={Link} to="/sign-in?reset=1">
          Sign in
        </Button>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title={title} intro={intro}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {message ? (
            <Alert color="red" variant="light" role="alert">
              {message}{" "}
              <Anchor component={Link} to="/forgot-password">
                Ask for a new link
              </Anchor>
            </Alert>
          ) : null}
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
          <Button type="submit" loading={confirm.isPending} fullWidth>
            Save the password
          </Button>
        </Stack>
      </form>
      <Text size="sm" c="dimmed">
        Saving signs you out on every device.
      </Text>
    </AuthFrame>
  );
}

export function ResetPasswordPage() {
  return (
    <PasswordPage
      title="Choose a new password"
      intro="Enter a new password for your Healix account."
      done="Your password has been changed and every session has been signed out."
    />
  );
}

export function InvitationPasswordPage() {
  return (
    <PasswordPage
      title="Set your password"
      intro="Welcome to Healix. Choose the password for your new account."
      done="Your password is set. You can sign in now."
    />
  );
}
