import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { setNonce } from "get-nonce";
import { createBrowserRouter, RouterProvider } from "react-router";

import { ApiError } from "../api/errors";
import { SessionProvider } from "../features/auth/session";
import { routes } from "../routes";
import { cssVariablesResolver, theme } from "./theme";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // a refusal (4xx) will not change by asking again; a server hiccup might
      retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status < 500),
    },
  },
});

const router = createBrowserRouter(routes);

/** The style nonce Flask puts into index.html for the Content-Security-Policy. */
function styleNonce(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]');
  const value = meta?.content ?? "";
  return value.startsWith("__") ? "" : value;
}

const nonce = styleNonce();
// the scroll lock of dialogs (react-remove-scroll) writes its <style> with this nonce
if (nonce) setNonce(nonce);

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} getStyleNonce={() => nonce}>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
