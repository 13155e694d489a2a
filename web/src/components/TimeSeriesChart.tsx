import "uplot/dist/uPlot.min.css";

import { useMantineTheme } from "@mantine/core";
import { useEffect, useRef } from "react";
import uPlot from "uplot";

export interface ChartPoint {
  /** bucket start, epoch seconds */
  t: number;
  value: number | null;
  min?: number | null;
  max?: number | null;
}

export interface Band {
  from: number | null;
  to: number | null;
  level: "normal" | "warning" | "critical";
}

interface TimeSeriesChartProps {
  points: ChartPoint[];
  kind: "line" | "bars";
  bands: Band[];
  timeZone: string;
  unitLabel: string;
  /** read by screen readers; the table view holds the same data */
  label: string;
  height?: number;
}

const BAND_FILL = {
  normal: "rgba(18, 184, 134, 0.10)",
  warning: "rgba(250, 176, 5, 0.16)",
  critical: "rgba(250, 82, 82, 0.14)",
};

function bandsPlugin(bands: Band[]): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u: uPlot) => {
        const { ctx, bbox } = u;
        const [yMin, yMax] = [u.scales.y?.min ?? 0, u.scales.y?.max ?? 0];
        ctx.save();
        for (const band of bands) {
          const low = Math.max(band.from ?? yMin, yMin);
          const high = Math.min(band.to ?? yMax, yMax);
          if (high <= low) continue;
          const top = u.valToPos(high, "y", true);
          const bottom = u.valToPos(low, "y", true);
          ctx.fillStyle = BAND_FILL[band.level];
          ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
        }
        ctx.restore();
      },
    },
  };
}

/** A fast canvas chart (uPlot) of bucketed values, with threshold bands shaded behind. */
export function TimeSeriesChart({
  points,
  kind,
  bands,
  timeZone,
  unitLabel,
  label,
  height = 280,
}: TimeSeriesChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const theme = useMantineTheme();
  const line = theme.colors.teal[8];
  const range = theme.colors.teal[3];

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const data: uPlot.AlignedData = [
      points.map((p) => p.t),
      points.map((p) => p.value),
      points.map((p) => p.min ?? null),
      points.map((p) => p.max ?? null),
    ];
    const seriesValue: uPlot.Series =
      kind === "bars"
        ? {
            label: unitLabel,
            stroke: line,
            fill: line,
            paths: uPlot.paths.bars?.({ size: [0.7, 40] }),
            points: { show: false },
          }
        : {
            label: `Average (${unitLabel})`,
            stroke: line,
            width: 2,
            spanGaps: false,
            points: { show: points.length < 60 },
          };
    const options: uPlot.Options = {
      width: element.clientWidth || 600,
      height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { auto: true } },
      axes: [
        { stroke: theme.colors.gray[7], grid: { stroke: theme.colors.gray[2] } },
        { stroke: theme.colors.gray[7], grid: { stroke: theme.colors.gray[2] }, size: 56 },
      ],
      series: [
        {},
        seriesValue,
        { label: "Lowest", stroke: range, width: 1, show: kind === "line" },
        { label: "Highest", stroke: range, width: 1, show: kind === "line" },
      ],
      plugins: [bandsPlugin(bands)],
    };
    const chart = new uPlot(options, data, element);
    const observer = new ResizeObserver(() => {
      chart.setSize({ width: element.clientWidth, height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [points, kind, bands, timeZone, unitLabel, height, line, range, theme]);

  return <div ref={host} className="uplot-host" role="img" aria-label={label} />;
}
