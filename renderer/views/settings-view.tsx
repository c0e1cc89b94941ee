/** The service configuration as a form, checked against the same schema the service uses. */
import { useEffect, useMemo, useState } from 'react';
import type { ConfigPatch, DeviceConfig, ServiceConfig } from '../../shared/contract';
import { serviceConfigSchema } from '../../shared/schemas';
import { getHost } from '../store/actions';
import { appStore, useApp } from '../store/app-store';
import { useMetrics } from '../store/metrics-store';

type Kind = 'int' | 'number' | 'bool' | 'optional-number';

interface Field {
  path: string;
  label: string;
  kind: Kind;
  help?: string;
}

const SECTIONS: Section[] = [
  {
    title: 'Queue',
    fields: [
      { path: 'queue.maxSize', label: 'Maximum queued tasks', kind: 'int' },
      {
        path: 'queue.timeoutMs',
        label: 'Queue timeout (ms)',
        kind: 'int',
        help: 'A task waiting longer fails.',
      },
      {
        path: 'queue.priorityEnabled',
        label: 'Priorities (off: first in, first out)',
        kind: 'bool',
      },
    ],
  },
  {
    title: 'Retries',
    fields: [
      { path: 'retry.maxAttempts', label: 'Maximum attempts', kind: 'int' },
      { path: 'retry.initialDelayMs', label: 'First retry delay (ms)', kind: 'int' },
      { path: 'retry.backoffMultiplier', label: 'Backoff multiplier', kind: 'number' },
      {
        path: 'retry.memoryReductionFactor',
        label: 'Memory reduction after out-of-memory (0–1)',
        kind: 'number',
      },
      {
        path: 'retry.fallbackToCpu',
        label: 'Fall back to the CPU after a GPU runs out of memory',
        kind: 'bool',
      },
    ],
  },
  {
    title: 'Pool',
    fields: [
      { path: 'pool.maxTotalInstances', label: 'Instances in total', kind: 'int' },
      { path: 'pool.acquireTimeoutMs', label: 'Wait for a free instance (ms)', kind: 'int' },
      { path: 'pool.idleUnloadMs', label: 'Unload an idle instance after (ms)', kind: 'int' },
      { path: 'pool.recycleAfterPages', label: 'Recycle an instance after (pages)', kind: 'int' },
      {
        path: 'pool.recycleAboveMemoryMb',
        label: 'Recycle an instance above (MB)',
        kind: 'number',
      },
      { path: 'defaultDevice.maxInstances', label: 'Instances per device', kind: 'int' },
      {
        path: 'defaultDevice.memoryLimitMb',
        label: 'Memory limit per device (MB, empty: from total)',
        kind: 'optional-number',
      },
      { path: 'defaultDevice.enabled', label: 'Devices enabled by default', kind: 'bool' },
    ],
  },
  {
    title: 'Engine and resources',
    fields: [
      { path: 'engine.maxPixels', label: 'Largest page (pixels)', kind: 'int' },
      { path: 'engine.useClassifier', label: 'Detect upside-down lines', kind: 'bool' },
      { path: 'engine.cpuWorkers', label: 'CPU worker threads (0: one per core)', kind: 'int' },
      { path: 'resourceTracking', label: 'Track memory per task', kind: 'bool' },
      { path: 'cleanupTimeoutMs', label: 'Cleanup timeout (ms)', kind: 'int' },
      { path: 'metrics.sampleIntervalMs', label: 'Metrics interval (ms)', kind: 'int' },
    ],
  },
];

type Draft = Record<string, string | boolean>;
type Section = { title: string; fields: Field[] };

/** The settings each device has of its own; every device the service knows gets a section. */
const DEVICE_FIELDS: { key: keyof DeviceConfig; label: string; kind: Kind }[] = [
  { key: 'enabled', label: 'Enabled', kind: 'bool' },
  { key: 'maxInstances', label: 'Instances at most', kind: 'int' },
  {
    key: 'tasksPerInstance',
    label: 'Documents per instance at once (empty: automatic)',
    kind: 'optional-number',
  },
  { key: 'memoryLimitMb', label: 'Memory limit (MB, empty: from total)', kind: 'optional-number' },
];

export function deviceSections(deviceIds: string[]): Section[] {
  return deviceIds.map((id) => ({
    title: `Device ${id}`,
    fields: DEVICE_FIELDS.map(({ key, label, kind }) => ({
      path: `devices.${id}.${key}`,
      label,
      kind,
    })),
  }));
}

function getPath(config: ServiceConfig, path: string): unknown {
  const keys = path.split('.');
  // A device without its own entry runs with the default device settings.
  if (keys[0] === 'devices' && !(keys[1] in config.devices)) {
    return (config.defaultDevice as unknown as Record<string, unknown>)[keys[2]];
  }
  return keys.reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], config);
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function toDraft(config: ServiceConfig, sections: Section[]): Draft {
  const draft: Draft = {};
  for (const field of sections.flatMap((s) => s.fields)) {
    const value = getPath(config, field.path);
    draft[field.path] =
      field.kind === 'bool'
        ? Boolean(value)
        : value === null || value === undefined
          ? ''
          : String(value);
  }
  return draft;
}

/** Builds a full configuration from the base and the draft; empty optional numbers become null. */
function fromDraft(base: ServiceConfig, draft: Draft, sections: Section[]): ServiceConfig {
  const config = structuredClone(base) as unknown as Record<string, unknown>;
  for (const field of sections.flatMap((s) => s.fields)) {
    const raw = draft[field.path];
    if (raw === undefined) continue;
    let value: unknown = raw;
    if (field.kind !== 'bool')
      value = raw === '' ? (field.kind === 'optional-number' ? null : Number.NaN) : Number(raw);
    setPath(config, field.path, value);
  }
  return config as unknown as ServiceConfig;
}

/** Device entries worth saving: those the file has, and those now set apart from the default. */
function changedDevices(config: ServiceConfig, base: ServiceConfig): ServiceConfig['devices'] {
  const same = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);
  return Object.fromEntries(
    Object.entries(config.devices).filter(
      ([id, device]) => id in base.devices || !same(device, base.defaultDevice),
    ),
  );
}

function validate(config: ServiceConfig): Record<string, string> {
  const parsed = serviceConfigSchema.safeParse(config);
  if (parsed.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[issue.path.join('.')] ??= issue.message;
  return errors;
}

export function SettingsView() {
  const config = useApp((s) => s.config);
  const deviceIdList = useMetrics((s) => s.latest?.devices.map((d) => d.device.id).join(',') ?? '');
  const sections = useMemo(() => {
    const ids = new Set([...Object.keys(config?.devices ?? {}), ...deviceIdList.split(',')]);
    return [...SECTIONS, ...deviceSections([...ids].filter(Boolean).sort())];
  }, [config, deviceIdList]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (config) setDraft(toDraft(config, sections));
  }, [config, sections]);

  const candidate = useMemo(
    () => (config && draft ? fromDraft(config, draft, sections) : null),
    [config, draft, sections],
  );
  const errors = useMemo(() => (candidate ? validate(candidate) : {}), [candidate]);
  if (!config || !draft || !candidate)
    return <div className="empty">Loading the configuration…</div>;

  const save = async () => {
    setServerError(null);
    const patch = { ...candidate, devices: changedDevices(candidate, config) } as ConfigPatch;
    const result = await getHost().client.request('setConfig', { patch });
    if (!result.ok) {
      setServerError(result.error.message);
      return;
    }
    appStore.setState({ config: result.value });
    setSaved(true);
    setTimeout(() => setSaved(false), 2000);
  };
  const invalid = Object.keys(errors).length > 0;

  return (
    <form
      className="settings"
      aria-label="Settings"
      data-testid="settings"
      onSubmit={(event) => {
        event.preventDefault();
        if (!invalid) void save();
      }}
    >
      {sections.map((section) => (
        <fieldset key={section.title}>
          <legend>{section.title}</legend>
          {section.fields.map((field) => {
            const id = `cfg-${field.path}`;
            const error = errors[field.path];
            return (
              <div className="field" key={field.path}>
                <label htmlFor={id}>{field.label}</label>
                {field.kind === 'bool' ? (
                  <input
                    id={id}
                    type="checkbox"
                    checked={draft[field.path] as boolean}
                    onChange={(e) => setDraft({ ...draft, [field.path]: e.target.checked })}
                  />
                ) : (
                  <input
                    id={id}
                    type="text"
                    inputMode="decimal"
                    value={draft[field.path] as string}
                    aria-invalid={Boolean(error)}
                    aria-describedby={error ? `${id}-error` : undefined}
                    onChange={(e) => setDraft({ ...draft, [field.path]: e.target.value })}
                  />
                )}
                {error && (
                  <span className="error" id={`${id}-error`} role="alert">
                    {error}
                  </span>
                )}
                {field.help && !error && (
                  <span className="muted" style={{ gridColumn: 2 }}>
                    {field.help}
                  </span>
                )}
              </div>
            );
          })}
        </fieldset>
      ))}
      {serverError && (
        <div className="notice error" role="alert">
          {serverError}
        </div>
      )}
      <div className="settings-actions">
        <button type="submit" className="btn primary" disabled={invalid}>
          Save settings
        </button>
        <button type="button" className="btn" onClick={() => setDraft(toDraft(config, sections))}>
          Revert
        </button>
        {saved && <span role="status">Saved.</span>}
        {invalid && <span className="warning">Fix the marked fields to save.</span>}
      </div>
    </form>
  );
}
