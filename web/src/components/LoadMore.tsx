import { Button, Center } from "@mantine/core";

interface LoadMoreProps {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  label?: string;
}

/** The next page of a cursor-paged list. */
export function LoadMore({ hasNextPage, isFetchingNextPage, fetchNextPage, label = "Show more" }: LoadMoreProps) {
  if (!hasNextPage) return null;
  return (
    <Center mt="md">
      <Button variant="default" loading={isFetchingNextPage} onClick={() => void fetchNextPage()}>
        {label}
      </Button>
    </Center>
  );
}
