/** Display formatting of the units the service reports (MB, ms, 0..1 ratios). */

export function formatMb(valueMb: number | null | undefined): string {
  if (valueMb === null || valueMb === undefined || !Number.isFinite(valueMb)) return '—';
  if (valueMb >= 1024) return `${(valueMb / 1024).toFixed(1)} GB`;
  return `${Math.round(valueMb)} MB`;
}

export function formatDurationMs(valueMs: number | null | undefined): string {
  if (valueMs === null || valueMs === undefined || !Number.isFinite(valueMs)) return '—';
  if (valueMs < 1000) return `${Math.round(valueMs)} ms`;
  if (valueMs < 60_000) return `${(valueMs / 1000).toFixed(1)} s`;
  const minutes = Math.floor(valueMs / 60_000);
  return `${minutes} min ${Math.round((valueMs % 60_000) / 1000)} s`;
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${Math.round(ratio * 100)}%`;
}

export function formatTime(atMs: number | null | undefined): string {
  if (!atMs) return '—';
  return new Date(atMs).toLocaleTimeString();
}

/** The last part of a path, for either separator. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
