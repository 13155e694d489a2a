import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import { api, type Schemas } from "../../api/client";
import { onSessionExpired, refreshSession, setAccessToken } from "../../api/session";
import { profileQuery } from "../profile/api";

export interface SessionUser {
  id: string;
  role: string;
  first_name: string;
  last_name: string;
}

type SessionState =
  | { status: "loading" }
  | { status: "signed-out"; reason?: "expired" | "signed-out" }
  | { status: "signed-in"; user: SessionUser };

interface SessionContextValue {
  state: SessionState;
  signedIn: (response: Schemas["AuthResponse"]) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

function userOf(source: SessionUser): SessionUser {
  return { id: source.id, role: source.role, first_name: source.first_name, last_name: source.last_name };
}

/** Restores the session from the refresh cookie on load, and holds who is signed in. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState>({ status: "loading" });

  useEffect(() => {
    const effect = { cancelled: false };
    void (async () => {
      const session = await refreshSession();
      if (effect.cancelled) return;
      if (!session) {
        setState({ status: "signed-out" });
        return;
      }
      queryClient.setQueryData(profileQuery.queryKey, session.user);
      setState({ status: "signed-in", user: userOf(session.user) });
    })();
    return () => {
      effect.cancelled = true;
    };
  }, [queryClient]);

  useEffect(
    () =>
      onSessionExpired(() => {
        setAccessToken(null);
        queryClient.clear();
        setState({ status: "signed-out", reason: "expired" });
      }),
    [queryClient],
  );

  const signedIn = useCallback(
    (response: Schemas["AuthResponse"]) => {
      queryClient.clear();
      setAccessToken(response.access_token);
      queryClient.setQueryData(profileQuery.queryKey, response.user);
      setState({ status: "signed-in", user: userOf(response.user) });
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await api.POST("/api/auth/logout");
    } finally {
      setAccessToken(null);
      queryClient.clear();
      setState({ status: "signed-out", reason: "signed-out" });
    }
  }, [queryClient]);

  const value = useMemo(() => ({ state, signedIn, signOut }), [state, signedIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** Where each role lands after signing in. */
export function homeFor(role: string): string {
  if (role === "provider") return "/provider";
  if (role === "admin") return "/admin";
  return "/";
}
