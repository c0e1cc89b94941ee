/** The active task: its page with lines, the text, actions, and its health and history. */
import { useEffect, useMemo, useState } from 'react';
import type { PageImage, TaskDetail as Detail } from '../../shared/contract';
import { flattenLines, PageView } from '../components/page-view';
import { OcrText } from '../components/ocr-text';
import { call, cancelTask, getHost, retryTask, setTaskPriority } from '../store/actions';
import { appStore } from '../store/app-store';
import { setActiveTask, setChecked, useTasks } from '../store/task-store';
import { TaskHealthPanel } from './task-health';

const IMAGE_MAX_SIDE_PX = 1600;

function usePageImage(taskId: string, pageIndex: number, available: boolean) {
  const [state, setState] = useState<{ image: PageImage | null; error: string | null }>({
    image: null,
    error: null,
  });
  useEffect(() => {
    if (!available) return;
    let current = true;
    setState({ image: null, error: null });
    void getHost()
      .client.request('getPageImage', { taskId, pageIndex, maxSidePx: IMAGE_MAX_SIDE_PX })
      .then((result) => {
        if (!current) return;
        setState(
          result.ok
            ? { image: result.value, error: null }
            : { image: null, error: result.error.message },
        );
      });
    return () => {
      current = false;
    };
  }, [taskId, pageIndex, available]);
  return state;
}

export function TaskDetail({ taskId }: { taskId: string }) {
  const task = useTasks((s) => s.tasks.get(taskId));
  const [detail, setDetail] = useState<Detail | null>(null);
  const [pageIndex, setPageIndex] = useState(0);
  const [hoveredKey, setHoveredKey] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  // Results grow page by page: fetch again whenever another page is done or the task ends.
  const pagesDone = task?.pagesDone ?? 0;
  const status = task?.status;
  useEffect(() => {
    let current = true;
    void getHost()
      .client.request('getTask', { taskId, includeResults: true })
      .then((result) => current && result.ok && setDetail(result.value));
    return () => {
      current = false;
    };
  }, [taskId, pagesDone, status]);

  const pages = detail?.pages ?? [];
  const page = pages.find((p) => p.pageIndex === pageIndex) ?? pages[0];
  const lines = useMemo(() => (page ? flattenLines(page) : []), [page]);
  const { image, error: imageError } = usePageImage(
    taskId,
    page?.pageIndex ?? pageIndex,
    Boolean(page),
  );
  const pageCount = task?.pagesTotal ?? pages.length;

  if (!task) return null;

  const copyText = async () => {
    if (!page) return;
    const done = await navigator.clipboard.writeText(page.text).then(
      () => 'Copied',
      () => 'Copy failed',
    );
    setCopied(done);
    setTimeout(() => setCopied(null), 1500);
  };
  const canCancel =
    task.status === 'queued' || task.status === 'running' || task.status === 'paused';
  const canRetry = task.status === 'failed' || task.status === 'cancelled';

  return (
    <aside
      className="detail"
      aria-label={`Details of ${task.source.name}`}
      data-testid="task-detail"
      onKeyDown={(event) => {
        if (event.key === '[') setPageIndex((i) => Math.max(0, i - 1));
        if (event.key === ']') setPageIndex((i) => Math.min(pageCount - 1, i + 1));
      }}
    >
      <section>
        <div className="pane-head" style={{ padding: 0, border: 0 }}>
          <h2 title={task.source.path}>{task.source.name}</h2>
          <span className="spacer" style={{ flex: 1 }} />
          <button
            className="btn small"
            onClick={() => setActiveTask(null)}
            aria-label="Close details"
          >
            Close
          </button>
        </div>
        <div className="pane-head" style={{ padding: '6px 0 0', border: 0 }}>
          <button
            className="btn small danger"
            disabled={!canCancel}
            onClick={() => void cancelTask(task.id)}
          >
            Cancel
          </button>
          <button
            className="btn small"
            disabled={!canRetry}
            onClick={() => void retryTask(task.id)}
          >
            Retry
          </button>
          <label htmlFor="task-priority">Priority</label>
          <input
            id="task-priority"
            type="number"
            style={{ width: 70 }}
            value={task.priority}
            min={-1000}
            max={1000}
            onChange={(e) =>
              Number.isInteger(e.target.valueAsNumber) &&
              void setTaskPriority(task.id, e.target.valueAsNumber)
            }
          />
          {task.status === 'queued' && (
            <button
              className="btn small"
              onClick={() => void call('pauseTask', { taskId: task.id })}
            >
              Hold
            </button>
          )}
          {task.status === 'paused' && (
            <button
              className="btn small"
              onClick={() => void call('resumeTask', { taskId: task.id })}
            >
              Release
            </button>
          )}
          <button
            className="btn small"
            disabled={task.status !== 'completed'}
            onClick={() => {
              setChecked([task.id]);
              appStore.setState({ exportDialogOpen: true });
            }}
          >
            Export…
          </button>
        </div>
      </section>

      {task.failureMessage && (
        <section className="notice error" role="status">
          <strong>{task.failureReason}</strong>: {task.failureMessage}
        </section>
      )}

      <section>
        <div className="pane-head" style={{ padding: '0 0 6px', border: 0 }}>
          <h3 style={{ margin: 0 }}>Page</h3>
          <button
            className="btn small"
            aria-label="Previous page"
            disabled={pageIndex <= 0}
            onClick={() => setPageIndex(pageIndex - 1)}
          >
            ‹
          </button>
          <span data-testid="page-position">
            {pageCount ? `${(page?.pageIndex ?? pageIndex) + 1} of ${pageCount}` : '—'}
          </span>
          <button
            className="btn small"
            aria-label="Next page"
            disabled={pageIndex >= pageCount - 1}
            onClick={() => setPageIndex(pageIndex + 1)}
          >
            ›
          </button>
          {page && (
            <span className="muted">
              {lines.length} lines · {Math.round(page.confidence * 100)}% confidence
            </span>
          )}
        </div>
        {page ? (
          <PageView
            page={page}
            image={image}
            imageError={imageError}
            lines={lines}
            hoveredKey={hoveredKey}
            onHover={setHoveredKey}
          />
        ) : (
          <div className="empty">
            {task.status === 'completed' ? 'No pages were read.' : 'Not read yet.'}
          </div>
        )}
      </section>

      {page && (
        <section>
          <div className="pane-head" style={{ padding: '0 0 6px', border: 0 }}>
            <h3 style={{ margin: 0 }}>Text</h3>
            <button className="btn small" onClick={() => void copyText()}>
              {copied ?? 'Copy text'}
            </button>
          </div>
          <OcrText text={page.text} lines={lines} hoveredKey={hoveredKey} onHover={setHoveredKey} />
          {page.warnings.map((w) => (
            <div key={w.code} className="warning">
              {w.message}
            </div>
          ))}
        </section>
      )}

      <TaskHealthPanel task={task} pageErrors={detail?.pageErrors ?? []} />
    </aside>
  );
}
