import { Alert } from "@mantine/core";
import type { ReactNode } from "react";

/** A form's message that belongs to no single field (a refusal's detail), read out at once. */
export function FormError({ children }: { children: ReactNode }) {
  if (children === null || children === undefined || children === false || children === "") return null;
  return (
    <Alert color="red" variant="light" role="alert">
      {children}
    </Alert>
  );
}
