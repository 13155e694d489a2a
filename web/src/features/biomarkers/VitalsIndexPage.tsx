import { Card, Group, SimpleGrid, Stack, Text, UnstyledButton } from "@mantine/core";
import { Link } from "react-router";

import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime } from "../../lib/time";
import { formatValue } from "../../lib/units";
import { usePreferences } from "../profile/api";
import { CATALOG, useCurrentReadings } from "./api";
import { useDisplayUnits } from "./useDisplayUnits";

export function VitalsIndexPage() {
  const current = useCurrentReadings();
  const { timeZone } = usePreferences();
  const { unitFor } = useDisplayUnits();
  return (
    <>
      <PageHeader title="Vitals" description="Choose a measurement to see its chart, statistics and history." />
      <QueryState query={current} loadingLabel="Loading your latest values…">
        {(latestValues) => (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {CATALOG.map((type) => {
              const latest = latestValues.readings.find((reading) => reading.biomarker_type === type.code);
              return (
                <UnstyledButton key={type.code} component={Link} to={`/vitals/${type.code}`}>
                  <Card withBorder h="100%">
                    <Stack gap={4}>
                      <Text fw={600}>{type.display_name}</Text>
                      {latest ? (
                        <>
                          <Group gap="xs">
                            <Text fz="lg">{formatValue(latest.value, unitFor(type.code, latest.unit))}</Text>
                            <StatusBadge status={latest.level} />
                          </Group>
                          <Text size="xs" c="dimmed">
                            {formatDateTime(latest.measured_at, timeZone)}
                          </Text>
                        </>
                      ) : (
                        <Text size="sm" c="dimmed">
                          No readings yet
                        </Text>
                      )}
                    </Stack>
                  </Card>
                </UnstyledButton>
              );
            })}
          </SimpleGrid>
        )}
      </QueryState>
    </>
  );
}
