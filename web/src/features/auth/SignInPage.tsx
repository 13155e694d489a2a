import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState, type SyntheticEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";

import type { Schemas } from "../../api/client";
import { FormError } from "../../components/FormError";
import { errorMessage } from "../../api/errors";
import { applyApiErrors } from "../../lib/forms";
import { CodeInput, RecoveryCodes, SecretQrCode } from "../security/MfaPieces";
import { AuthFrame } from "./AuthFrame";
import { needsSecondFactor, useLogin, useLoginWithCode, useSetupAtLogin } from "./api";
import { homeFor, useSession } from "./session";

type AuthResponse = Schemas["AuthResponse"];

/** Where a sign-in stands: the password, then (with two-factor sign-in) the code. */
type Step =
  | { kind: "password" }
  | { kind: "code"; token: string; setup: Schemas["MfaSetupRead"] | null }
  | { kind: "recovery-codes"; response: AuthResponse; codes: string[] };

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
  const setupAtLogin = useSetupAtLogin();
  const [step, setStep] = useState<Step>({ kind: "password" });
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: "", password: "" },
    validate: {
      email: (value) => (value.trim() ? null : "Enter your email address."),
      password: (value) => (value ? null : "Enter your password."),
    },
  });

  const finish = (response: AuthResponse) => {
    signedIn(response);
    void navigate(safeNext(params.get("next")) ?? homeFor(response.user.role), { replace: true });
  };

  const submit = form.onSubmit((values) => {
    setMessage(null);
    login.mutate(values, {
      onSuccess: (outcome) => {
        if (!needsSecondFactor(outcome)) {
          finish(outcome);
          return;
        }
        if (!outcome.enrolment_required) {
          setStep({ kind: "code", token: outcome.mfa_token, setup: null });
          return;
        }
        setupAtLogin.mutate(
          { mfa_token: outcome.mfa_token },
          {
            onSuccess: (setup) => {
              setStep({ kind: "code", token: outcome.mfa_token, setup });
            },
            onError: (error) => {
              setMessage(errorMessage(error));
            },
          },
        );
      },
      onError: (error) => {
        setMessage(applyApiErrors(form, error));
      },
    });
  });

  if (step.kind === "recovery-codes") {
    return (
      <AuthFrame title="Save your recovery codes">
        <RecoveryCodes
          codes={step.codes}
          onDone={() => {
            finish(step.response);
          }}
        />
      </AuthFrame>
    );
  }
  if (step.kind === "code") {
    return (
      <CodeStep
        token={step.token}
        setup={step.setup}
        onSignedIn={(response) => {
          if (response.recovery_codes?.length)
            setStep({ kind: "recovery-codes", response, codes: response.recovery_codes });
          else finish(response);
        }}
        onRestart={() => {
          form.setFieldValue("password", "");
          setStep({ kind: "password" });
        }}
      />
    );
  }

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
          <Button type="submit" loading={login.isPending || setupAtLogin.isPending} fullWidth>
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

/** The second step: a code from the authenticator app (after setting it up, when required). */
function CodeStep({
  token,
  setup,
  onSignedIn,
  onRestart,
}: {
  token: string;
  setup: Schemas["MfaSetupRead"] | null;
  onSignedIn: (response: AuthResponse) => void;
  onRestart: () => void;
}) {
  const loginWithCode = useLoginWithCode();
  const [code, setCode] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setMessage(null);
    if (!code.trim()) {
      setFieldError("Enter the code from your authenticator app.");
      return;
    }
    setFieldError(null);
    loginWithCode.mutate(
      { mfa_token: token, code: code.trim() },
      {
        onSuccess: onSignedIn,
        onError: (error) => {
          setCode("");
          setMessage(errorMessage(error));
        },
      },
    );
  };

  return (
    <AuthFrame
      title={setup ? "Set up two-factor sign-in" : "Enter your code"}
      intro={
        setup
          ? "Your account must sign in with a second factor. Add Healix to an authenticator app, then enter the code it shows."
          : "Your account uses two-factor sign-in. Enter the code your authenticator app shows."
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError>{message}</FormError>
          {setup ? <SecretQrCode uri={setup.otpauth_uri} secret={setup.secret} /> : null}
          <CodeInput value={code} onChange={setCode} error={fieldError} allowRecovery={!setup} />
          <Button type="submit" loading={loginWithCode.isPending} fullWidth>
            {setup ? "Turn on and sign in" : "Verify and sign in"}
          </Button>
          <Button variant="subtle" onClick={onRestart}>
            Back to email and password
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
