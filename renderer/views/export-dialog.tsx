/** Export of one or many tasks in the formats the service offers, to a folder the user chose. */
import { useEffect, useRef, useState } from 'react';
import type { ExportFile, ExportFailure } from '../../shared/contract';
import type { ExportFormat } from '../../shared/domain';
import type { DesktopHost, ExportTarget } from '../host/host';
import { exportTasks } from '../store/actions';
import { appStore, useApp } from '../store/app-store';
import { baseName } from '../format';

export function ExportDialog({ host, taskIds }: { host: DesktopHost; taskIds: string[] }) {
  const formats = useApp((s) => s.exportFormats);
  const [chosen, setChosen] = useState<Set<ExportFormat>>(new Set(['txt']));
  const [target, setTarget] = useState<ExportTarget | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ files: ExportFile[]; failures: ExportFailure[] } | null>(
    null,
  );
  const [error, setError] = useState<string | null>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const close = () => appStore.setState({ exportDialogOpen: false });

  useEffect(() => firstField.current?.focus(), []);

  const toggle = (format: ExportFormat) => {
    const next = new Set(chosen);
    if (next.has(format)) next.delete(format);
    else next.add(format);
    setChosen(next);
  };

  const run = async () => {
    if (!target) return;
    setBusy(true);
    setError(null);
    const result = await exportTasks(taskIds, [...chosen], target.dir);
    setBusy(false);
    if (result.ok) setOutcome(result.value);
    else setError(result.error.message);
  };

  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && close()}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="export-title"
        data-testid="export-dialog"
      >
        <h2 id="export-title">
          Export {taskIds.length} task{taskIds.length === 1 ? '' : 's'}
        </h2>
        {taskIds.length === 0 && (
          <p className="warning">Select tasks in the list first (Space or the tick boxes).</p>
        )}
        <fieldset className="formats" style={{ border: 0, padding: 0 }}>
          <legend className="muted">Formats</legend>
          {formats.map((format, index) => (
            <label key={format.id}>
              <input
                ref={index === 0 ? firstField : undefined}
                type="checkbox"
                checked={chosen.has(format.id)}
                onChange={() => toggle(format.id)}
                data-format={format.id}
              />{' '}
              {format.label} (.{format.extension})
            </label>
          ))}
        </fieldset>
        <p>
          <button className="btn" onClick={async () => setTarget(await host.chooseExportTarget())}>
            {host.kind === 'browser' ? 'Prepare export folder' : 'Choose folder…'}
          </button>{' '}
          <span className="muted" data-testid="export-target">
            {target ? target.dir : 'No folder chosen'}
          </span>
        </p>
        {error && (
          <div className="notice error" role="alert">
            {error}
          </div>
        )}
        {outcome && (
          <div role="status" data-testid="export-result">
            <strong>
              {outcome.files.length} file{outcome.files.length === 1 ? '' : 's'} written
            </strong>
            <ul>
              {outcome.files.map((file) => {
                const url = host.exportDownloadUrl(file.path);
                return (
                  <li key={file.path}>
                    {url ? (
                      <a href={url} download={baseName(file.path)}>
                        {baseName(file.path)}
                      </a>
                    ) : (
                      baseName(file.path)
                    )}
                  </li>
                );
              })}
              {outcome.failures.map((f) => (
                <li key={`${f.taskId}-${f.format}`} className="warning">
                  {f.format}: {f.error.message}
                </li>
              ))}
            </ul>
            {host.showFolder && target && (
              <button className="btn small" onClick={() => host.showFolder?.(target.dir)}>
                Show folder
              </button>
            )}
          </div>
        )}
        <div className="actions">
          <button className="btn" onClick={close}>
            Close
          </button>
          <button
            className="btn primary"
            disabled={!target || chosen.size === 0 || taskIds.length === 0 || busy}
            onClick={() => void run()}
          >
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </div>
    </div>
  );
}
