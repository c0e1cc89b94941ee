/** A task's health (status, memory, times, device, warnings) and its event timeline. */
import { useEffect, useState } from 'react';
import type { PageError, Task, TaskEvent, TaskHealth } from '../../shared/contract';
import { getHost, onTaskEvent } from '../store/actions';
import { formatDurationMs, formatMb, formatTime } from '../format';

const HEALTH_POLL_MS = 1000;
const TIMELINE_LIMIT = 500;

function describeDetails(details: TaskEvent['details']): string {
  return Object.entries(details)
    .map(
      ([key, value]) =>
        `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    )
    .join(', ');
}

function useHealth(taskId: string, status: Task['status'], updatedAtMs: number): TaskHealth | null {
  const [health, setHealth] = useState<TaskHealth | null>(null);
  useEffect(() => {
    let current = true;
    const load = () =>
      void getHost()
        .client.request('getTaskHealth', { taskId })
        .then((result) => current && result.ok && setHealth(result.value));
    load();
    // Memory and time change continuously only while the task runs.
    const timer = status === 'running' ? setInterval(load, HEALTH_POLL_MS) : undefined;
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [taskId, status, updatedAtMs]);
  return health;
}

function useTimeline(taskId: string): TaskEvent[] {
  const [events, setEvents] = useState<TaskEvent[]>([]);
  useEffect(() => {
    let current = true;
    const live: TaskEvent[] = [];
    const stop = onTaskEvent(({ event }) => {
      if (event.taskId !== taskId) return;
      live.push(event);
      setEvents((known) =>
        known.some((e) => e.id === event.id) ? known : [...known, event].slice(-TIMELINE_LIMIT),
      );
    });
    void getHost()
      .client.request('getTaskEvents', { taskId, limit: TIMELINE_LIMIT })
      .then((result) => {
        if (!current || !result.ok) return;
        const stored = result.value.events;
        const lastId = stored.length ? stored[stored.length - 1].id : 0;
        setEvents([...stored, ...live.filter((e) => e.id > lastId)]);
      });
    return () => {
      current = false;
      stop();
    };
  }, [taskId]);
  return events;
}

export function TaskHealthPanel({ task, pageErrors }: { task: Task; pageErrors: PageError[] }) {
  const health = useHealth(task.id, task.status, task.updatedAtMs);
  const events = useTimeline(task.id);
  const warnings = health?.warnings ?? task.warnings;
  return (
    <>
      <section aria-label="Health" data-testid="task-health">
        <h3>Health</h3>
        <dl className="kv">
          <dt>Status</dt>
          <dd>
            <span className={`status ${task.status}`}>{task.status}</span>
            {task.attempts > 1 ? ` (attempt ${task.attempts})` : ''}
          </dd>
          <dt>Pages</dt>
          <dd>
            {task.pagesDone} of {task.pagesTotal ?? '?'}
          </dd>
          <dt>Device</dt>
          <dd>
            {health?.device ?? task.assignedDevice ?? '—'}
            {task.serviceInstanceId ? ` · instance ${task.serviceInstanceId}` : ''}
          </dd>
          <dt>Memory</dt>
          <dd>
            {health?.memoryInUseMb !== null && health?.memoryInUseMb !== undefined
              ? `${formatMb(health.memoryInUseMb)} in use · `
              : ''}
            peak {formatMb(health?.peakMemoryMb ?? task.actualMemoryMb)} · estimated{' '}
            {formatMb(task.estimatedMemoryMb)}
          </dd>
          <dt>Processing</dt>
          <dd>{formatDurationMs(health?.processingTimeMs)}</dd>
          <dt>Waited</dt>
          <dd>{formatDurationMs(health?.waitTimeMs)}</dd>
          <dt>Resources</dt>
          <dd>
            {task.resourceCleanupCompleted
              ? 'released'
              : task.status === 'running'
                ? 'in use'
                : 'pending cleanup'}
          </dd>
        </dl>
        {warnings.length > 0 && (
          <ul className="warning">
            {warnings.map((w, i) => (
              <li key={i}>
                {w.pageIndex !== null ? `Page ${w.pageIndex + 1}: ` : ''}
                {w.message}
              </li>
            ))}
          </ul>
        )}
        {pageErrors.map((e) => (
          <div key={e.pageIndex} className="warning">
            Page {e.pageIndex + 1} failed: {e.error.message}
          </div>
        ))}
      </section>
      <section aria-label="Event timeline">
        <h3>Timeline</h3>
        <ol className="timeline" data-testid="timeline">
          {events.map((event) => (
            <li key={event.id}>
              <span className="muted">{formatTime(event.atMs)}</span>
              <span>{event.type.replace(/_/g, ' ')}</span>
              <span className="muted">{describeDetails(event.details)}</span>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
