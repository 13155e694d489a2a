import { Alert, Anchor, Button, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { Link } from "react-router";

import { FormError } from "../../components/FormError";
import { applyApiErrors } from "../../lib/forms";
import { AuthFrame } from "./AuthFrame";
import { useRequestPasswordReset } from "./api";

export function ForgotPasswordPage() {
  const request = useRequestPasswordReset();
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: "" },
    validate: { email: (value) => (value.trim() ? null : "Enter your email address.") },
  });

  const submit = form.onSubmit((values) => {
    setMessage(null);
    request.mutate(values, {
      onError: (error) => {
        setMessage(applyApiErrors(form, error));
      },
    });
  });

  return (
    <AuthFrame title="Reset your password" intro="We will email you a link to choose a new password.">
      {request.isSuccess ? (
        <Alert color="teal" variant="light" role="status">
          If an account exists for {form.values.email}, a link to set a new password is on its way. The link works for a
          limited time.
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <FormError>{message}</FormError>
            <TextInput label="Email" type="email" autoComplete="email" required {...form.getInputProps("email")} />
            <Button type="submit" loading={request.isPending} fullWidth>
              Send the link
            </Button>
          </Stack>
        </form>
      )}
      <Text size="sm">
        <Anchor component={Link} to="/sign-in">
          Back to sign-in
        </Anchor>
      </Text>
    </AuthFrame>
  );
}
