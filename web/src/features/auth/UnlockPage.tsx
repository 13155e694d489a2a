import { Alert, Anchor, Loader, Stack } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";

import { errorMessage } from "../../api/errors";
import { readTokenFromHash } from "./SetPasswordPage";
import { AuthFrame } from "./AuthFrame";
import { useUnlockAccount } from "./api";

/** The link of the unlock email: `/unlock#token=...` (the token never leaves the fragment). */
export function UnlockPage() {
  const [token] = useState(() => readTokenFromHash(window.location.hash));
  const verify = useUnlockAccount();
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
    <AuthFrame title="Unlock your account">
      <Stack>
        {!token ? (
          <Alert color="red" variant="light" role="alert">
            This link is incomplete. Open the link from your email again.
          </Alert>
        ) : verify.isSuccess ? (
          <Alert color="teal" variant="light" role="status">
            Your account is unlocked. You can sign in now.
          </Alert>
        ) : verify.isError ? (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(verify.error)}
          </Alert>
        ) : (
          <Stack align="center" role="status">
            <Loader size="sm" aria-hidden />
            Unlocking your account…
          </Stack>
        )}
        <Anchor component={Link} to="/sign-in">
          Go to sign-in
        </Anchor>
      </Stack>
    </AuthFrame>
  );
}
