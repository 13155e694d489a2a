import { useMutation } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";

export function useLogin() {
  return useMutation({
    mutationFn: (body: Schemas["LoginRequest"]) => unwrap(api.POST("/api/auth/login", { body })),
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
