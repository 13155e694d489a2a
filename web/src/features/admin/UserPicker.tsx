import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";

import { useUserSearch } from "./api";
import { fullName } from "./words";

/** Choose an active provider or patient by typing part of their name or email. */
export function UserPicker({
  of: role,
  label,
  value,
  onChange,
  required,
  clearable,
  w,
}: {
  /** whom to choose from */
  of: "provider" | "patient";
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  required?: boolean;
  clearable?: boolean;
  w?: React.ComponentProps<typeof Select>["w"];
}) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 300);
  const found = useUserSearch(role, q);
  const options = (found.data?.items ?? []).map((user) => ({
    value: user.id,
    label: `${fullName(user)} (${user.email})`,
  }));
  return (
    <Select
      label={label}
      placeholder="Type a name or email"
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // the search already filtered on the server
      filter={({ options: all }) => all}
      data={options}
      value={value}
      onChange={onChange}
      required={required}
      clearable={clearable}
      nothingFoundMessage={found.isFetching ? "Searching…" : "Nobody found"}
      w={w}
    />
  );
}
