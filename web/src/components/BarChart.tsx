import { Table, Text } from "@mantine/core";

export interface BarRow {
  label: string;
  value: number;
}

interface BarChartProps {
  /** names the table for screen readers */
  caption: string;
  rows: BarRow[];
  valueLabel?: string;
  color?: string;
}

/** A small horizontal bar chart that is a real table: each row's bar is drawn beside its
 * number, so the figures never depend on the picture (no separate table needed). */
export function BarChart({ caption, rows, valueLabel = "Count", color = "teal" }: BarChartProps) {
  const largest = Math.max(1, ...rows.map((row) => row.value));
  return (
    <Table verticalSpacing={4} horizontalSpacing="xs" layout="fixed">
      <caption className="visually-hidden-caption">{caption}</caption>
      <Table.Thead className="visually-hidden-head">
        <Table.Tr>
          <Table.Th scope="col">Item</Table.Th>
          <Table.Th scope="col">{valueLabel}</Table.Th>
          <Table.Th scope="col">
            <span aria-hidden>Bar</span>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.label}>
            <Table.Th scope="row" fw={400} w="45%">
              <Text size="sm">{row.label}</Text>
            </Table.Th>
            <Table.Td w="15%" ta="right">
              <Text size="sm" fw={600}>
                {row.value}
              </Text>
            </Table.Td>
            <Table.Td aria-hidden>
              <div
                className="bar-chart-bar"
                style={{
                  width: `${Math.round((row.value / largest) * 100)}%`,
                  background: `var(--mantine-color-${color}-filled)`,
                }}
              />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
