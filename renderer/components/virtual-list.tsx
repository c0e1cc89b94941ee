/**
 * A windowed list: only the rows in view (plus a few either side) exist in the DOM, so that
 * thousands of tasks scroll as smoothly as ten. Rows have one fixed height in px.
 */
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';

export interface VirtualListProps {
  rowCount: number;
  rowHeightPx: number;
  /** Rows rendered beyond each edge of the viewport, so fast scrolling shows no gaps. */
  overscanRows?: number;
  activeIndex: number;
  onActiveIndexChange: (index: number) => void;
  /** Keys the list does not handle itself (Enter, Delete, …) for the focused row. */
  onRowKeyDown?: (event: KeyboardEvent<HTMLDivElement>, index: number) => void;
  renderRow: (index: number, active: boolean) => ReactNode;
  rowKey: (index: number) => string;
  label: string;
  header?: ReactNode;
  empty?: ReactNode;
}

export function VirtualList(props: VirtualListProps) {
  const { rowCount, rowHeightPx, activeIndex, onActiveIndexChange } = props;
  const overscanRows = props.overscanRows ?? 4;
  const viewportRef = useRef<HTMLDivElement>(null);
  const [scrollTopPx, setScrollTopPx] = useState(0);
  const [viewportHeightPx, setViewportHeightPx] = useState(400);
  const frameRef = useRef(0);

  useEffect(() => {
    const viewport = viewportRef.current;
    if (!viewport) return;
    const observer = new ResizeObserver(() => setViewportHeightPx(viewport.clientHeight));
    observer.observe(viewport);
    setViewportHeightPx(viewport.clientHeight);
    return () => observer.disconnect();
  }, []);

  // Coalesce scroll events into one render per animation frame.
  const onScroll = useCallback(() => {
    if (frameRef.current) return;
    frameRef.current = requestAnimationFrame(() => {
      frameRef.current = 0;
      setScrollTopPx(viewportRef.current?.scrollTop ?? 0);
    });
  }, []);
  useEffect(() => () => cancelAnimationFrame(frameRef.current), []);

  const scrollIntoView = useCallback(
    (index: number) => {
      const viewport = viewportRef.current;
      if (!viewport) return;
      const topPx = index * rowHeightPx;
      if (topPx < viewport.scrollTop) viewport.scrollTop = topPx;
      else if (topPx + rowHeightPx > viewport.scrollTop + viewport.clientHeight) {
        viewport.scrollTop = topPx + rowHeightPx - viewport.clientHeight;
      }
    },
    [rowHeightPx],
  );

  const moveTo = (index: number) => {
    if (rowCount === 0) return;
    const clamped = Math.max(0, Math.min(rowCount - 1, index));
    onActiveIndexChange(clamped);
    scrollIntoView(clamped);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const pageRows = Math.max(1, Math.floor(viewportHeightPx / rowHeightPx) - 1);
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + pageRows,
      PageUp: activeIndex - pageRows,
      Home: 0,
      End: rowCount - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key]);
      return;
    }
    if (activeIndex >= 0 && activeIndex < rowCount) props.onRowKeyDown?.(event, activeIndex);
  };

  const first = Math.max(0, Math.floor(scrollTopPx / rowHeightPx) - overscanRows);
  const last = Math.min(
    rowCount - 1,
    Math.ceil((scrollTopPx + viewportHeightPx) / rowHeightPx) + overscanRows,
  );
  // A fixed set of slots, rendered in slot order: a row scrolled out at one end is reused at
  // the other by changing its texts and offset, with no DOM node created, removed or moved.
  const slotCount = Math.max(
    1,
    last - first + 1,
    Math.ceil(viewportHeightPx / rowHeightPx) + 2 * overscanRows + 2,
  );
  const rows: ReactNode[] = [];
  for (let slot = 0; slot < Math.min(slotCount, rowCount); slot++) {
    const index = first + ((((slot - first) % slotCount) + slotCount) % slotCount);
    const inRange = index <= last;
    rows.push(
      <div
        key={slot}
        data-key={inRange ? props.rowKey(index) : undefined}
        role="row"
        hidden={!inRange}
        aria-rowindex={index + 2}
        aria-selected={index === activeIndex}
        className={index === activeIndex ? 'vrow active' : 'vrow'}
        style={{ transform: `translateY(${index * rowHeightPx}px)`, height: rowHeightPx }}
        onMouseDown={() => onActiveIndexChange(index)}
      >
        {inRange ? props.renderRow(index, index === activeIndex) : null}
      </div>,
    );
  }

  return (
    <div
      className="vlist"
      role="grid"
      aria-label={props.label}
      aria-rowcount={rowCount + 1}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      {props.header}
      <div
        className="vlist-viewport"
        ref={viewportRef}
        onScroll={onScroll}
        data-testid="task-viewport"
      >
        {rowCount === 0 ? (
          props.empty
        ) : (
          <div className="vlist-canvas" style={{ height: rowCount * rowHeightPx }}>
            {rows}
          </div>
        )}
      </div>
    </div>
  );
}
