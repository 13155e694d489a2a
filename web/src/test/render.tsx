import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement, ReactNode } from "react";
import { MemoryRouter } from "react-router";

import { theme } from "../app/theme";

/** Render with the app's providers; queries do not retry, so errors show at once. */
export function renderWithProviders(ui: ReactElement, { route = "/" }: { route?: string } = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MantineProvider theme={theme}>
      <Notifications />
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[route]}>{children}</MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
  return { ...render(ui, { wrapper }), queryClient };
}

/** A fetch stand-in: answers each request with the first matching handler's JSON. */
export function stubFetch(
  handlers: [RegExp, (request: Request) => { status: number; body?: unknown; headers?: Record<string, string> }][],
) {
  const calls: Request[] = [];
  const fetchStub = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    calls.push(request);
    const match = handlers.find(([pattern]) => pattern.test(`${request.method} ${new URL(request.url).pathname}`));
    if (!match) return Promise.reject(new Error(`unexpected request ${request.method} ${request.url}`));
    const { status, body, headers } = match[1](request);
    const type = status >= 400 ? "application/problem+json" : "application/json";
    return Promise.resolve(
      new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { "Content-Type": type, ...headers },
      }),
    );
  };
  return { fetchStub, calls };
}

export function problem(status: number, detail: string, errors?: { loc: string; msg: string }[]) {
  return {
    type: "about:blank",
    title: "Problem",
    status,
    detail,
    instance: "/api",
    request_id: "r1",
    errors: errors ?? null,
  };
}
