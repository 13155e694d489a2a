import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { Link, useNavigate } from "react-router";

import { FormError } from "../../components/FormError";
import { applyApiErrors } from "../../lib/forms";
import { AuthFrame } from "./AuthFrame";
import { needsSecondFactor, useLogin, useRegister } from "./api";
import { useSession } from "./session";

export const PASSWORD_HINT =
  "At least 12 characters; not a common password and not your email name. A few unrelated words work well.";

export function SignUpPage() {
  const navigate = useNavigate();
  const { signedIn } = useSession();
  const register = useRegister();
  const login = useLogin();
  const [message, setMessage] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({
    initialValues: { first_name: "", last_name: "", email: "", password: "" },
    validate: {
      first_name: (value) => (value.trim() ? null : "Enter your first name."),
      last_name: (value) => (value.trim() ? null : "Enter your last name."),
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : "Enter an email address like name@example.com."),
      password: (value) => (value.length >= 12 ? null : "Use at least 12 characters."),
    },
  });

  const submit = form.onSubmit((values) => {
    setMessage(null);
    register.mutate(values, {
      // The answer is the same for a new and a taken address. Where the server lets a new
      // account in before its email is confirmed, signing in with the same details works.
      onSuccess: () => {
        login.mutate(
          { email: values.email, password: values.password },
          {
            onSuccess: (outcome) => {
              if (needsSecondFactor(outcome)) {
                void navigate("/sign-in", { replace: true });
                return;
              }
              signedIn(outcome);
              void navigate("/", { replace: true });
            },
            onError: () => {
              setSentTo(values.email.trim());
            },
          },
        );
      },
      onError: (error) => {
        setMessage(applyApiErrors(form, error));
      },
    });
  });

  if (sentTo) {
    return (
      <AuthFrame title="Check your email">
        <Alert color="teal" variant="light" role="status">
          We have sent an email to {sentTo}. Follow its link to confirm your address, then sign in.
        </Alert>
        <Anchor component={Link} to="/sign-in">
          Go to sign-in
        </Anchor>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame
      title="Create your account"
      intro="Healix keeps your health data, appointments and prescriptions in one place."
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError>{message}</FormError>
          <Group grow wrap="wrap" align="flex-start">
            <TextInput label="First name" autoComplete="given-name" required {...form.getInputProps("first_name")} />
            <TextInput label="Last name" autoComplete="family-name" required {...form.getInputProps("last_name")} />
          </Group>
          <TextInput label="Email" type="email" autoComplete="email" required {...form.getInputProps("email")} />
          <PasswordInput
            label="Password"
            description={PASSWORD_HINT}
            autoComplete="new-password"
            required
            {...form.getInputProps("password")}
          />
          <Button type="submit" loading={register.isPending || login.isPending} fullWidth>
            Create account
          </Button>
        </Stack>
      </form>
      <Text size="sm">
        Already have an account?{" "}
        <Anchor component={Link} to="/sign-in">
          Sign in
        </Anchor>
      </Text>
    </AuthFrame>
  );
}
