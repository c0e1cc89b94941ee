/** The service configuration as a form, checked against the same schema the service uses. */
import { useEffect, useMemo, useState } from 'react';
import type { ConfigPatch, ServiceConfig } from '../../shared/contract';
import { serviceConfigSchema } from '../../shared/schemas';
import { getHost } from '../store/actions';
import { appStore, useApp } from '../store/app-store';

type Kind = 'int' | 'number' | 'bool' | 'optional-number';

interface Field {
  path: string;
  label: string;
  kind: Kind;
  help?: string;
}

const SECTIONS: { title: string; fields: Field[] }[] = [
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

function getPath(config: ServiceConfig, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], config);
}

function toDraft(config: ServiceConfig): Draft {
  const draft: Draft = {};
  for (const field of SECTIONS.flatMap((s) => s.fields)) {
    const value = getPath(config, field.path);
    draft[field.path] =
      field.kind === 'bool' ? Boolean(value) : value === null ? '' : String(value);
  }
  return draft;
}

/** Builds a full configuration from the base and the draft; empty optional numbers become null. */
function fromDraft(base: ServiceConfig, draft: Draft): ServiceConfig {
  const config = structuredClone(base) as unknown as Record<string, Record<string, unknown>>;
  for (const field of SECTIONS.flatMap((s) => s.fields)) {
    const raw = draft[field.path];
    let value: unknown = raw;
    if (field.kind !== 'bool')
      value = raw === '' ? (field.kind === 'optional-number' ? null : Number.NaN) : Number(raw);
    const keys = field.path.split('.');
    if (keys.length === 1) (config as Record<string, unknown>)[keys[0]] = value;
    else config[keys[0]][keys[1]] = value;
  }
  return config as unknown as ServiceConfig;
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
  const [draft, setDraft] = useState<Draft | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (config) setDraft(toDraft(config));
  }, [config]);

  const candidate = useMemo(
    () => (config && draft ? fromDraft(config, draft) : null),
    [config, draft],
  );
  const errors = useMemo(() => (candidate ? validate(candidate) : {}), [candidate]);
  if (!config || !draft || !candidate)
    return <div className="empty">Loading the configuration…</div>;

  const save = async () => {
    setServerError(null);
    const { devices: _devices, ...rest } = candidate;
    const result = await getHost().client.request('setConfig', { patch: rest as ConfigPatch });
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
      {SECTIONS.map((section) => (
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
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <button type="submit" className="btn primary" disabled={invalid}>
          Save settings
        </button>
        <button type="button" className="btn" onClick={() => setDraft(toDraft(config))}>
          Revert
        </button>
        {saved && <span role="status">Saved.</span>}
        {invalid && <span className="warning">Fix the marked fields to save.</span>}
      </div>
    </form>
  );
}
