import { Alert, Anchor, Loader, Stack } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";

import { errorMessage } from "../../api/errors";
import { readTokenFromHash } from "./SetPasswordPage";
import { AuthFrame } from "./AuthFrame";
import { useVerifyEmail } from "./api";

/** The link of the verification email: `/verify-email#token=...` (the token never leaves the fragment). */
export function VerifyEmailPage() {
  const [token] = useState(() => readTokenFromHash(window.location.hash));
  const verify = useVerifyEmail();
  const sent = useRef(false);
  useEffect(() => {
    if (window.location.hash) {
      window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    }
    if (token && !sent.current) {
      sent.current = true;
      verify.mutate({ token });
    }
  }, [token, verify]);

  return (
    <AuthFrame title="Confirm your email address">
      <Stack>
        {!token ? (
          <Alert color="red" variant="light" role="alert">
            This link is incomplete. Open the link from your email again.
          </Alert>
        ) : verify.isSuccess ? (
          <Alert color="teal" variant="light" role="status">
            Your email address is confirmed. You can sign in now.
          </Alert>
        ) : verify.isError ? (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(verify.error)}
          </Alert>
        ) : (
          <Stack align="center" role="status">
            <Loader size="sm" aria-hidden />
            Confirming your address…
          </Stack>
        )}
        <Anchor component={Link} to="/sign-in">
          Go to sign-in
        </Anchor>
      </Stack>
    </AuthFrame>
  );
}
