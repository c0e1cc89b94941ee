/** The window: toolbar, navigation, the current screen, drop handling and shortcuts. */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { DesktopHost } from '../host/host';
import { addFiles, setQueuePaused, submitIncoming } from '../store/actions';
import { appStore, dismissNotice, useApp, type Screen } from '../store/app-store';
import { useMetrics } from '../store/metrics-store';
import { taskStore, useTasks } from '../store/task-store';
import { formatDurationMs, formatMb } from '../format';
import { TasksScreen } from './tasks-screen';
import { PoolPanel } from './pool-panel';
import { SettingsView } from './settings-view';
import { ExportDialog } from './export-dialog';
import type { MenuCommand } from '../../electron/preload/desktop-api';

const SCREENS: { id: Screen; label: string; shortcut: string }[] = [
  { id: 'tasks', label: 'Tasks', shortcut: '1' },
  { id: 'pool', label: 'Devices & pool', shortcut: '2' },
  { id: 'settings', label: 'Settings', shortcut: '3' },
];

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer.types).includes('Files');
}

function openExport(): void {
  appStore.setState({ exportDialogOpen: true });
}

export function App({ host }: { host: DesktopHost }) {
  const screen = useApp((s) => s.screen);
  const queuePaused = useApp((s) => s.queuePaused);
  const notices = useApp((s) => s.notices);
  const exportOpen = useApp((s) => s.exportDialogOpen);
  const taskCount = useTasks((s) => s.tasks.size);
  const latest = useMetrics((s) => s.latest);
  const connected = useApp((s) => s.connected);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const openFiles = async () => {
    if (host.openFilesDialog) await submitIncoming(await host.openFilesDialog());
    else fileInput.current?.click();
  };
  const openFolder = async () => {
    if (host.openFolderDialog) await submitIncoming(await host.openFolderDialog());
    else folderInput.current?.click();
  };

  useEffect(() => {
    const commands: Record<MenuCommand, () => void> = {
      'open-files': () => void openFiles(),
      'open-folder': () => void openFolder(),
      export: openExport,
      'pause-queue': () => void setQueuePaused(true),
      'resume-queue': () => void setQueuePaused(false),
      'show-tasks': () => appStore.setState({ screen: 'tasks' }),
      'show-pool': () => appStore.setState({ screen: 'pool' }),
      'show-settings': () => appStore.setState({ screen: 'settings' }),
      'focus-filter': () => document.getElementById('task-search')?.focus(),
    };
    return host.onMenuCommand((command) => commands[command]?.());
    // The host does not change for the life of the window.
  }, [host]);

  // Browser-mode shortcuts; in Electron the menu's accelerators send the same commands.
  useEffect(() => {
    if (host.kind === 'electron') return;
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod) return;
      const screenByKey = SCREENS.find((s) => s.shortcut === event.key);
      if (screenByKey) appStore.setState({ screen: screenByKey.id });
      else if (event.key === 'o') void openFiles();
      else if (event.key === 'e') openExport();
      else if (event.key === 'f') document.getElementById('task-search')?.focus();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [host]);

  const onDragEnter = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth.current++;
    setDragging(true);
  };
  const onDragLeave = () => {
    dragDepth.current = Math.max(0, dragDepth.current - 1);
    if (dragDepth.current === 0) setDragging(false);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    // Entries must be taken now: the DataTransfer is emptied when the handler returns.
    const entries = Array.from(event.dataTransfer.items)
      .map((item) => item.webkitGetAsEntry?.())
      .filter((entry): entry is FileSystemEntry => Boolean(entry));
    const files = Array.from(event.dataTransfer.files);
    void addFiles(files, host.kind === 'browser' ? entries : undefined);
  };

  const running = latest ? Object.values(latest.activeTasksByDevice).reduce((a, b) => a + b, 0) : 0;
  return (
    <div
      className="app"
      onDragEnter={onDragEnter}
      onDragOver={(e) => hasFiles(e) && e.preventDefault()}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
    >
      <header className="toolbar" role="toolbar" aria-label="Main actions">
        <h1>OCR Desk</h1>
        <button
          className="btn primary"
          onClick={() => void openFiles()}
          title="Open files (Ctrl+O)"
        >
          Open files…
        </button>
        <button className="btn" onClick={() => void openFolder()} title="Open a folder">
          Open folder…
        </button>
        <input
          ref={folderInput}
          type="file"
          hidden
          aria-label="Choose a folder of documents"
          // Not in React's types: the browser's folder picker, files keep their relative paths.
          {...{ webkitdirectory: '' }}
          onChange={(event) => {
            const files = Array.from(event.target.files ?? []);
            event.target.value = '';
            void addFiles(files);
          }}
        />
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          aria-label="Choose documents"
          accept=".png,.jpg,.jpeg,.tif,.tiff,.webp,.bmp,.gif,.pdf"
          onChange={(event) => {
            const files = Array.from(event.target.files ?? []);
            event.target.value = '';
            void addFiles(files);
          }}
        />
        <button
          className="btn"
          onClick={() => void setQueuePaused(!queuePaused)}
          aria-pressed={queuePaused}
          data-testid="queue-toggle"
        >
          {queuePaused ? 'Resume queue' : 'Pause queue'}
        </button>
        <button
          className="btn"
          onClick={openExport}
          disabled={taskCount === 0}
          title="Export (Ctrl+E)"
        >
          Export…
        </button>
        <span className="spacer" />
        {!connected && (
          <span className="warning" role="status">
            Service disconnected, reconnecting…
          </span>
        )}
        {queuePaused && <span className="warning">Queue paused</span>}
      </header>

      <nav className="nav" aria-label="Screens">
        {SCREENS.map((s) => (
          <button
            key={s.id}
            aria-current={screen === s.id ? 'page' : undefined}
            onClick={() => appStore.setState({ screen: s.id })}
            title={`Ctrl+${s.shortcut}`}
          >
            {s.label}
          </button>
        ))}
        <div className="nav-stats">
          {taskCount} task{taskCount === 1 ? '' : 's'}
          <br />
          {running} running · {latest?.queue.total ?? 0} queued
        </div>
      </nav>

      <main className="content">
        {notices.map((notice) => (
          <div
            key={notice.id}
            className={`notice ${notice.kind}`}
            role="alert"
            data-testid="notice"
          >
            <strong>{notice.title}</strong>{' '}
            <button
              className="btn small"
              onClick={() => dismissNotice(notice.id)}
              aria-label="Dismiss"
            >
              Dismiss
            </button>
            <ul>
              {notice.items.slice(0, 20).map((item, index) => (
                <li key={index}>
                  {item.name}: {item.reason}
                </li>
              ))}
            </ul>
          </div>
        ))}
        {screen === 'tasks' && <TasksScreen />}
        {screen === 'pool' && <PoolPanel />}
        {screen === 'settings' && <SettingsView />}
      </main>

      <footer className="statusbar" aria-live="polite">
        <span>{host.kind === 'browser' ? 'Browser mode' : 'Desktop'}</span>
        <span>Service memory {formatMb(latest?.serviceRssMb)}</span>
        <span>Average wait {formatDurationMs(latest?.queue.averageWaitMs)}</span>
        <span>Drop files or folders anywhere to add them</span>
      </footer>

      {dragging && <div className="drop-overlay">Drop documents to read them</div>}
      {exportOpen && <ExportDialog host={host} taskIds={exportSelection()} />}
    </div>
  );
}

/** Ticked tasks, else the one shown in the detail view. */
function exportSelection(): string[] {
  const { checkedIds, activeTaskId } = taskStore.getState();
  if (checkedIds.size > 0) return [...checkedIds];
  return activeTaskId ? [activeTaskId] : [];
}
