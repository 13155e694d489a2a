import { Alert, Anchor, Button, Card, Container, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { useEffect, useState, type SyntheticEvent } from "react";
import { Link } from "react-router";

import { errorMessage } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { QueryState } from "../../components/QueryState";
import { homeFor, useSession } from "../auth/session";
import { useConfirmMfa, useDisableMfa, useMfaStatus, useStartMfaSetup, type MfaSetup, type MfaStatus } from "./api";
import { CodeInput, RecoveryCodes, SecretQrCode } from "./MfaPieces";

/** Two-factor sign-in for every role: set it up with an authenticator app, or turn it off. */
export function SecurityPage() {
  const { state } = useSession();
  const status = useMfaStatus();
  useEffect(() => {
    document.title = "Sign-in security · Healix";
  }, []);
  const home = state.status === "signed-in" ? homeFor(state.user.role) : "/";
  return (
    <Container size="sm" py="xl" component="main" id="main">
      <Stack>
        <Anchor component={Link} to={home} size="sm">
          Back to Healix
        </Anchor>
        <Title order={1}>Sign-in security</Title>
        <QueryState query={status} loadingLabel="Loading your sign-in settings…">
          {(mfa) => <TwoFactorCard status={mfa} />}
        </QueryState>
      </Stack>
    </Container>
  );
}

function TwoFactorCard({ status }: { status: MfaStatus }) {
  const [codes, setCodes] = useState<string[] | null>(null);
  return (
    <Card withBorder component="section" aria-labelledby="two-factor-title">
      <Stack>
        <Title order={2} fz="h3" id="two-factor-title">
          Two-factor sign-in
        </Title>
        {codes ? (
          <RecoveryCodes
            codes={codes}
            onDone={() => {
              setCodes(null);
            }}
          />
        ) : status.enabled ? (
          <EnabledFactor status={status} />
        ) : (
          <Enrolment onEnabled={setCodes} required={status.required} />
        )}
      </Stack>
    </Card>
  );
}

function Enrolment({ onEnabled, required }: { onEnabled: (codes: string[]) => void; required: boolean }) {
  const start = useStartMfaSetup();
  const confirm = useConfirmMfa();
  const [setup, setSetup] = useState<MfaSetup | null>(null);
  const [code, setCode] = useState("");
  const [message, setMessage] = useState<string | null>(null);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setMessage(null);
    confirm.mutate(
      { code: code.trim() },
      {
        onSuccess: (result) => {
          onEnabled(result.recovery_codes);
        },
        onError: (error) => {
          setMessage(errorMessage(error));
        },
      },
    );
  };

  if (!setup) {
    return (
      <Stack>
        <Text>
          <strong>Off.</strong> With two-factor sign-in, signing in needs your password and a code from an authenticator
          app on your phone.{required ? " Your role must use it." : ""}
        </Text>
        <FormError>{message}</FormError>
        <Button
          w="fit-content"
          loading={start.isPending}
          onClick={() => {
            start.mutate(undefined, {
              onSuccess: setSetup,
              onError: (error) => {
                setMessage(errorMessage(error));
              },
            });
          }}
        >
          Set up two-factor sign-in
        </Button>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError>{message}</FormError>
        <SecretQrCode uri={setup.otpauth_uri} secret={setup.secret} />
        <CodeInput value={code} onChange={setCode} />
        <Button type="submit" w="fit-content" loading={confirm.isPending}>
          Turn on two-factor sign-in
        </Button>
      </Stack>
    </form>
  );
}

function EnabledFactor({ status }: { status: MfaStatus }) {
  const disable = useDisableMfa();
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [message, setMessage] = useState<string | null>(null);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setMessage(null);
    disable.mutate(
      { password, code: code.trim() },
      {
        onError: (error) => {
          setMessage(errorMessage(error));
        },
      },
    );
  };

  return (
    <Stack>
      <Alert color="teal" variant="light">
        <strong>On.</strong> Signing in asks for a code from your authenticator app. Recovery codes left:{" "}
        {status.recovery_codes_left}.
      </Alert>
      {status.required ? (
        <Text>Your role must sign in with two factors, so it cannot be turned off. An administrator can reset it.</Text>
      ) : (
        <form onSubmit={submit} noValidate aria-label="Turn off two-factor sign-in">
          <Stack>
            <Title order={3} fz="h4">
              Turn it off
            </Title>
            <FormError>{message}</FormError>
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => {
                setPassword(event.currentTarget.value);
              }}
            />
            <CodeInput value={code} onChange={setCode} allowRecovery />
            <Button type="submit" color="red" variant="light" w="fit-content" loading={disable.isPending}>
              Turn off two-factor sign-in
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
