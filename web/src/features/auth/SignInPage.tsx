import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";

import { FormError } from "../../components/FormError";
import { applyApiErrors } from "../../lib/forms";
import { AuthFrame } from "./AuthFrame";
import { useLogin } from "./api";
import { homeFor, useSession } from "./session";

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNext(next: string | null): string | null {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return null;
  return next;
}

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { signedIn } = useSession();
  const login = useLogin();
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: "", password: "" },
    validate: {
      email: (value) => (value.trim() ? null : "Enter your email address."),
      password: (value) => (value ? null : "Enter your password."),
    },
  });

  const submit = form.onSubmit((values) => {
    setMessage(null);
    login.mutate(values, {
      onSuccess: (response) => {
        signedIn(response);
        void navigate(safeNext(params.get("next")) ?? homeFor(response.user.role), { replace: true });
      },
      onError: (error) => {
        setMessage(applyApiErrors(form, error));
      },
    });
  });

  return (
    <AuthFrame title="Sign in to Healix">
      {params.get("expired") ? (
        <Alert color="blue" variant="light" role="status">
          Your session has ended. Sign in again to continue.
        </Alert>
      ) : null}
      {params.get("reset") ? (
        <Alert color="teal" variant="light" role="status">
          Your password is set. Sign in with it now.
        </Alert>
      ) : null}
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError>{message}</FormError>
          <TextInput label="Email" type="email" autoComplete="username" required {...form.getInputProps("email")} />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...form.getInputProps("password")}
          />
          <Group justify="space-between">
            <Anchor component={Link} to="/forgot-password" size="sm">
              Forgot your password?
            </Anchor>
          </Group>
          <Button type="submit" loading={login.isPending} fullWidth>
            Sign in
          </Button>
        </Stack>
      </form>
      <Text size="sm">
        New to Healix?{" "}
        <Anchor component={Link} to="/sign-up">
          Create an account
        </Anchor>
      </Text>
    </AuthFrame>
  );
}
