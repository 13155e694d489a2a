import { Stack } from "@mantine/core";
import type { ReactNode } from "react";

/** A list of cards as a real list (screen readers announce how many items it has). */
export function CardList({ label, children }: { label?: string; children: ReactNode }) {
  return (
    <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }} aria-label={label}>
      {children}
    </Stack>
  );
}
