/** Devices and pool: live memory chart, utilisation per device, queue depth and waits. */
import { useMemo, useState } from 'react';
import { MemoryChart, type DeviceSeries } from '../components/memory-chart';
import { HISTORY_WINDOW_MS, useMetrics } from '../store/metrics-store';
import { formatDurationMs, formatMb, formatPercent } from '../format';
import type { MetricsSnapshot } from '../../shared/contract';

const CHART_WINDOW_MS = 60_000;

function seriesFrom(history: MetricsSnapshot[]): DeviceSeries[] {
  const byDevice = new Map<string, DeviceSeries>();
  for (const snapshot of history) {
    for (const device of snapshot.devices) {
      let series = byDevice.get(device.device.id);
      if (!series) {
        series = { deviceId: device.device.id, label: device.device.label, points: [] };
        byDevice.set(device.device.id, series);
      }
      series.points.push({
        atMs: snapshot.atMs,
        usedMb: device.memory.usedMb,
        limitMb: device.memory.limitMb,
      });
    }
  }
  return [...byDevice.values()];
}

export function PoolPanel() {
  const history = useMetrics((s) => s.history);
  const latest = useMetrics((s) => s.latest);
  const [fitToUsed, setFitToUsed] = useState(false);
  const series = useMemo(
    () => seriesFrom(history.filter((s) => latest && s.atMs >= latest.atMs - CHART_WINDOW_MS)),
    [history, latest],
  );

  if (!latest) return <div className="empty">Waiting for the service's first metrics…</div>;
  const depth = Object.entries(latest.queue.depthByPriority).sort(
    (a, b) => Number(b[0]) - Number(a[0]),
  );
  return (
    <div className="pool" data-testid="pool-panel">
      <div className="card wide">
        <div style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
          <h2 style={{ margin: 0 }}>Memory by device</h2>
          <label>
            <input
              type="checkbox"
              checked={fitToUsed}
              onChange={(e) => setFitToUsed(e.target.checked)}
            />{' '}
            Scale to memory used
          </label>
        </div>
        <MemoryChart
          series={series}
          windowMs={CHART_WINDOW_MS}
          nowMs={latest.atMs}
          fitToUsed={fitToUsed}
        />
      </div>
      {latest.devices.map((d) => {
        const busyRatio = d.pool.max > 0 ? d.pool.busy / d.pool.max : 0;
        return (
          <div className="card" key={d.device.id} data-testid={`device-${d.device.id}`}>
            <h2>
              {d.device.label} <span className="muted">({d.device.id})</span>
            </h2>
            {!d.device.available && (
              <div className="warning">Unavailable: {d.device.unavailableReason}</div>
            )}
            <div className="muted">Pool utilisation {formatPercent(busyRatio)}</div>
            <div
              className="util-bar"
              role="meter"
              aria-label={`${d.device.label} pool utilisation`}
              aria-valuenow={Math.round(busyRatio * 100)}
              aria-valuemin={0}
              aria-valuemax={100}
            >
              <i style={{ width: `${busyRatio * 100}%` }} />
            </div>
            <dl className="kv">
              <dt>Instances</dt>
              <dd>
                {d.pool.busy} busy · {d.pool.idle} idle · {d.pool.max} max
              </dd>
              <dt>Running tasks</dt>
              <dd>{d.activeTasks}</dd>
              <dt>Memory used</dt>
              <dd>{formatMb(d.memory.usedMb)}</dd>
              <dt>Limit</dt>
              <dd>{formatMb(d.memory.limitMb)}</dd>
              <dt>Total</dt>
              <dd>{formatMb(d.memory.totalMb)}</dd>
            </dl>
          </div>
        );
      })}
      <div className="card">
        <h2>Queue</h2>
        <div className="stat" data-testid="queue-depth">
          {latest.queue.total}
        </div>
        <div className="muted">tasks waiting{latest.queue.paused ? ' · queue paused' : ''}</div>
        <dl className="kv" style={{ marginTop: 8 }}>
          <dt>Average wait</dt>
          <dd>{formatDurationMs(latest.queue.averageWaitMs)}</dd>
          {depth.map(([priority, count]) => (
            <FragmentRow key={priority} label={`Priority ${priority}`} value={String(count)} />
          ))}
          <dt>Service memory</dt>
          <dd>{formatMb(latest.serviceRssMb)}</dd>
          <dt>History</dt>
          <dd>{Math.round(HISTORY_WINDOW_MS / 1000)} s kept</dd>
        </dl>
      </div>
    </div>
  );
}

function FragmentRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
