import { useMutation } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";

export function useLogin() {
  return useMutation({
    mutationFn: (body: Schemas["LoginRequest"]) => unwrap<LoginOutcome>(api.POST("/api/auth/login", { body })),
  });
}

export function useRegister() {
  return useMutation({
    mutationFn: (body: Schemas["RegisterRequest"]) => unwrap(api.POST("/api/auth/register", { body })),
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (body: Schemas["PasswordResetRequest"]) =>
      unwrap(api.POST("/api/auth/password-reset/request", { body })),
  });
}

export function useConfirmPassword() {
  return useMutation({
    mutationFn: (body: Schemas["PasswordResetConfirm"]) =>
      unwrap(api.POST("/api/auth/password-reset/confirm", { body })),
  });
}

export function useVerifyEmail() {
  return useMutation({
    mutationFn: (body: Schemas["VerifyEmailRequest"]) => unwrap(api.POST("/api/auth/verify-email", { body })),
  });
}

export function useUnlockAccount() {
  return useMutation({
    mutationFn: (body: Schemas["UnlockRequest"]) => unwrap(api.POST("/api/auth/unlock", { body })),
  });
}

export type LoginOutcome = Schemas["AuthResponse"] | Schemas["MfaChallengeRead"];

/** The sign-in continues with a second factor (the password step answered 202). */
export function needsSecondFactor(outcome: LoginOutcome): outcome is Schemas["MfaChallengeRead"] {
  return "mfa_token" in outcome;
}

export function useLoginWithCode() {
  return useMutation({
    mutationFn: (body: Schemas["MfaLogin"]) => unwrap(api.POST("/api/auth/login/mfa", { body })),
  });
}

export function useSetupAtLogin() {
  return useMutation({
    mutationFn: (body: Schemas["MfaChallenge"]) => unwrap(api.POST("/api/auth/login/mfa/setup", { body })),
  });
}
