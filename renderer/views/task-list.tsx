/** The task list: filter, sort, tick, and keyboard actions over a windowed list of rows. */
import { memo, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { Task } from '../../shared/contract';
import { VirtualList } from '../components/virtual-list';
import { cancelTask, retryTask, setTaskPriority } from '../store/actions';
import { orderTasks, processingTimeMs, progressRatio, waitTimeMs } from '../store/task-order';
import {
  setActiveTask,
  setChecked,
  setView,
  toggleChecked,
  useTasks,
  type SortKey,
  type TaskListView,
} from '../store/task-store';
import { formatDurationMs, formatMb } from '../format';

const ROW_HEIGHT_PX = 30;

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'pages', label: 'Pages', numeric: true },
  { key: 'status', label: 'Status' },
  { key: 'progress', label: 'Progress' },
  { key: 'priority', label: 'Priority', numeric: true },
  { key: 'device', label: 'Device' },
  { key: 'memory', label: 'Memory', numeric: true },
  { key: 'wait', label: 'Wait', numeric: true },
  { key: 'processing', label: 'Time', numeric: true },
];

const STATUS_FILTERS: { value: TaskListView['status']; label: string }[] = [
  { value: 'all', label: 'All statuses' },
  { value: 'active', label: 'Queued or running' },
  { value: 'queued', label: 'Queued' },
  { value: 'running', label: 'Running' },
  { value: 'paused', label: 'Paused' },
  { value: 'completed', label: 'Completed' },
  { value: 'failed', label: 'Failed' },
  { value: 'cancelled', label: 'Cancelled' },
];

const TaskRow = memo(function TaskRow(props: { task: Task; checked: boolean; nowMs: number }) {
  const { task, checked, nowMs } = props;
  const memoryMb = task.actualMemoryMb ?? task.estimatedMemoryMb;
  return (
    <div className="task-cols" data-task-id={task.id} data-status={task.status}>
      <span role="gridcell" title={task.source.path}>
        <input
          type="checkbox"
          checked={checked}
          aria-label={`Select ${task.source.name}`}
          tabIndex={-1}
          onChange={() => toggleChecked(task.id)}
          onMouseDown={(e) => e.stopPropagation()}
        />{' '}
        {task.source.name}
      </span>
      <span role="gridcell" className="num">
        {task.pagesTotal ?? '—'}
      </span>
      <span role="gridcell" title={task.failureMessage ?? undefined}>
        <span className={`status ${task.status}`}>{task.status}</span>
      </span>
      <span role="gridcell">
        <span
          className="progress"
          role="progressbar"
          aria-valuenow={Math.round(progressRatio(task) * 100)}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <i style={{ width: `${progressRatio(task) * 100}%` }} />
        </span>
      </span>
      <span role="gridcell" className="num">
        {task.priority}
      </span>
      <span role="gridcell">{task.assignedDevice ?? '—'}</span>
      <span
        role="gridcell"
        className="num"
        title={task.actualMemoryMb === null ? 'estimate' : 'measured peak'}
      >
        {formatMb(memoryMb)}
      </span>
      <span role="gridcell" className="num">
        {formatDurationMs(waitTimeMs(task, nowMs))}
      </span>
      <span role="gridcell" className="num">
        {formatDurationMs(processingTimeMs(task, nowMs))}
      </span>
    </div>
  );
});

function useNow(intervalMs: number): number {
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return nowMs;
}

export function TaskList() {
  const tasks = useTasks((s) => s.tasks);
  const view = useTasks((s) => s.view);
  const activeTaskId = useTasks((s) => s.activeTaskId);
  const checkedIds = useTasks((s) => s.checkedIds);
  const nowMs = useNow(1000);

  // Sorting by a live time changes with the clock; other keys only with the tasks.
  const clockKey = view.sortKey === 'wait' || view.sortKey === 'processing' ? nowMs : 0;
  const rows = useMemo(
    () => orderTasks(tasks.values(), view, clockKey || Date.now()),
    [tasks, view, clockKey],
  );
  const activeIndex = rows.findIndex((task) => task.id === activeTaskId);

  const sortBy = (key: SortKey) =>
    setView({ sortKey: key, descending: view.sortKey === key ? !view.descending : key !== 'name' });

  const onRowKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number) => {
    const task = rows[index];
    const actions: Record<string, () => void> = {
      Delete: () => void cancelTask(task.id),
      r: () => void retryTask(task.id),
      '+': () => void setTaskPriority(task.id, task.priority + 1),
      '-': () => void setTaskPriority(task.id, task.priority - 1),
      ' ': () => toggleChecked(task.id),
      Escape: () => setActiveTask(null),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  const header = (
    <div className="list-header" role="row" aria-rowindex={1}>
      <div className="task-cols">
        {COLUMNS.map((column) => (
          <span
            key={column.key}
            role="columnheader"
            className={column.numeric ? 'num' : undefined}
            aria-sort={
              view.sortKey === column.key ? (view.descending ? 'descending' : 'ascending') : 'none'
            }
          >
            <button onClick={() => sortBy(column.key)} tabIndex={-1}>
              {column.label}
              {view.sortKey === column.key ? (view.descending ? ' ▼' : ' ▲') : ''}
            </button>
          </span>
        ))}
      </div>
    </div>
  );

  return (
    <section className="pane" aria-label="Tasks">
      <div className="pane-head">
        <h2>Tasks</h2>
        <label className="sr-only" htmlFor="task-search">
          Filter by name
        </label>
        <input
          id="task-search"
          type="search"
          placeholder="Filter by name (Ctrl+F)"
          value={view.search}
          onChange={(e) => setView({ search: e.target.value })}
        />
        <label className="sr-only" htmlFor="status-filter">
          Status
        </label>
        <select
          id="status-filter"
          value={view.status}
          onChange={(e) => setView({ status: e.target.value as TaskListView['status'] })}
        >
          {STATUS_FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor="sort-key">
          Sort by
        </label>
        <select
          id="sort-key"
          value={view.sortKey}
          onChange={(e) => setView({ sortKey: e.target.value as SortKey })}
        >
          <option value="created">Sort: added</option>
          {COLUMNS.map((c) => (
            <option key={c.key} value={c.key}>
              Sort: {c.label.toLowerCase()}
            </option>
          ))}
        </select>
        <button
          className="btn small"
          onClick={() => setChecked(rows.map((t) => t.id))}
          disabled={rows.length === 0}
        >
          Select all
        </button>
        {checkedIds.size > 0 && (
          <button className="btn small" onClick={() => setChecked([])}>
            Clear {checkedIds.size}
          </button>
        )}
        <span className="muted" data-testid="row-count">
          {rows.length} shown
        </span>
      </div>
      <VirtualList
        label="Tasks. Arrow keys move, Delete cancels, R retries, plus and minus change priority, Space selects."
        rowCount={rows.length}
        rowHeightPx={ROW_HEIGHT_PX}
        activeIndex={activeIndex}
        onActiveIndexChange={(index) => setActiveTask(rows[index]?.id ?? null)}
        onRowKeyDown={onRowKeyDown}
        rowKey={(index) => rows[index].id}
        header={header}
        renderRow={(index) => (
          <TaskRow
            task={rows[index]}
            checked={checkedIds.has(rows[index].id)}
            nowMs={rows[index].status === 'running' || rows[index].status === 'queued' ? nowMs : 0}
          />
        )}
        empty={
          <div className="empty">
            <strong>No documents yet</strong>
            Drop images, PDFs or folders anywhere on the window, or use Open files.
          </div>
        }
      />
    </section>
  );
}
