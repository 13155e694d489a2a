import type { ReactNode } from "react";

import { LoadMore } from "./LoadMore";
import { EmptyState, ErrorState, LoadingState } from "./QueryState";

interface InfiniteQueryLike<T> {
  data: { pages: { items: T[] }[] } | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

interface PagedListProps<T> {
  query: InfiniteQueryLike<T>;
  empty: ReactNode;
  loadingLabel?: string;
  moreLabel?: string;
  children: (items: T[]) => ReactNode;
}

/** A cursor-paged list: loading, error and empty states, the items, and "show more". */
export function PagedList<T>({ query, empty, loadingLabel, moreLabel, children }: PagedListProps<T>) {
  if (query.isPending) return <LoadingState label={loadingLabel} />;
  if (query.error || !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const items = query.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <>
      {children(items)}
      <LoadMore
        hasNextPage={query.hasNextPage}
        isFetchingNextPage={query.isFetchingNextPage}
        fetchNextPage={query.fetchNextPage}
        label={moreLabel}
      />
    </>
  );
}
