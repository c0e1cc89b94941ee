/**
 * Memory used against limit per device over the last minute, drawn as SVG polylines. The
 * samples arrive at least once a second; paths are rebuilt only when the samples change.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatMb } from '../format';

export interface MemoryPoint {
  atMs: number;
  usedMb: number | null;
  limitMb: number | null;
}

export interface DeviceSeries {
  deviceId: string;
  label: string;
  points: MemoryPoint[];
}

interface MemoryChartProps {
  series: DeviceSeries[];
  windowMs: number;
  nowMs: number;
  heightPx?: number;
  /** Scale to the memory used rather than to the limit (a limit far above use flattens it). */
  fitToUsed?: boolean;
}

const PALETTE = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)', 'var(--chart-4)'];

function pathFor(
  points: MemoryPoint[],
  pick: (point: MemoryPoint) => number | null,
  x: (atMs: number) => number,
  y: (mb: number) => number,
): string {
  let path = '';
  let drawing = false;
  for (const point of points) {
    const value = pick(point);
    // An unknown reading breaks the line rather than inventing a value.
    if (value === null) {
      drawing = false;
      continue;
    }
    path += `${drawing ? 'L' : 'M'}${x(point.atMs).toFixed(1)},${y(value).toFixed(1)}`;
    drawing = true;
  }
  return path;
}

/** The figure's width in px, followed as the window resizes, so the SVG draws 1:1. */
function useWidth(initialPx: number) {
  const ref = useRef<HTMLElement>(null);
  const [widthPx, setWidthPx] = useState(initialPx);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidthPx(Math.max(240, element.clientWidth)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, widthPx };
}

export function MemoryChart({
  series,
  windowMs,
  nowMs,
  heightPx = 200,
  fitToUsed = false,
}: MemoryChartProps) {
  const { ref, widthPx } = useWidth(560);
  const padLeftPx = 56;
  const padBottomPx = 20;
  const plotWidthPx = widthPx - padLeftPx - 8;
  const plotHeightPx = heightPx - padBottomPx - 8;

  const { paths, maxMb, sampleCount } = useMemo(() => {
    let top = 1;
    let count = 0;
    for (const one of series) {
      for (const point of one.points) {
        top = Math.max(
          top,
          (point.usedMb ?? 0) * (fitToUsed ? 1.25 : 1),
          fitToUsed ? 0 : (point.limitMb ?? 0),
        );
        count++;
      }
    }
    const ceilingMb = niceCeiling(top);
    const x = (atMs: number) => padLeftPx + ((atMs - (nowMs - windowMs)) / windowMs) * plotWidthPx;
    // A limit above the ceiling is pinned to the top edge rather than drawn off the chart.
    const y = (mb: number) =>
      8 + plotHeightPx - (Math.min(mb, ceilingMb) / ceilingMb) * plotHeightPx;
    const built = series.map((one, index) => ({
      deviceId: one.deviceId,
      label: one.label,
      color: PALETTE[index % PALETTE.length],
      used: pathFor(one.points, (p) => p.usedMb, x, y),
      limit: pathFor(one.points, (p) => p.limitMb, x, y),
      latest: one.points[one.points.length - 1],
    }));
    return { paths: built, maxMb: ceilingMb, sampleCount: count };
  }, [series, nowMs, windowMs, plotWidthPx, plotHeightPx, fitToUsed]);

  const gridMb = [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxMb);
  return (
    <figure
      className="memory-chart"
      data-testid="memory-chart"
      data-sample-count={sampleCount}
      ref={ref}
    >
      <svg
        viewBox={`0 0 ${widthPx} ${heightPx}`}
        width={widthPx}
        height={heightPx}
        role="img"
        aria-label={`Memory by device over the last ${Math.round(windowMs / 1000)} seconds`}
      >
        {gridMb.map((mb) => {
          const yPx = 8 + plotHeightPx - (mb / maxMb) * plotHeightPx;
          return (
            <g key={mb} className="chart-grid">
              <line x1={padLeftPx} x2={widthPx - 8} y1={yPx} y2={yPx} />
              <text x={padLeftPx - 6} y={yPx + 4} textAnchor="end">
                {formatMb(mb)}
              </text>
            </g>
          );
        })}
        <text className="chart-axis" x={padLeftPx} y={heightPx - 4}>
          −{Math.round(windowMs / 1000)} s
        </text>
        <text className="chart-axis" x={widthPx - 8} y={heightPx - 4} textAnchor="end">
          now
        </text>
        {paths.map((p) => (
          <g key={p.deviceId} data-device={p.deviceId}>
            <path d={p.limit} className="chart-limit" stroke={p.color} />
            <path d={p.used} className="chart-used" stroke={p.color} />
          </g>
        ))}
      </svg>
      <figcaption className="chart-legend">
        {paths.map((p) => (
          <span key={p.deviceId}>
            <i style={{ background: p.color }} aria-hidden="true" />
            {p.label}: {formatMb(p.latest?.usedMb ?? null)} used of{' '}
            {formatMb(p.latest?.limitMb ?? null)} limit
          </span>
        ))}
        <span className="muted">solid: used · dashed: limit</span>
      </figcaption>
    </figure>
  );
}

/**
 * Rounds a maximum up to 1, 2, 4 or 5 times a power of ten of the unit it is shown in (MB, or
 * GB past 1024 MB), so that the grid's quarter lines read cleanly.
 */
function niceCeiling(valueMb: number): number {
  if (valueMb > 1024) return niceCeiling(valueMb / 1024) * 1024;
  const power = 10 ** Math.floor(Math.log10(valueMb));
  for (const step of [1, 2, 4, 5, 10]) {
    if (step * power >= valueMb) return step * power;
  }
  return 10 * power;
}
