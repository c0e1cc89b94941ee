/** The latest metrics and a rolling history of them, for the pool panel and its chart. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { MetricsSnapshot } from '../../shared/contract';

/** How much history the memory chart keeps, in ms. */
export const HISTORY_WINDOW_MS = 120_000;

export interface MetricsState {
  latest: MetricsSnapshot | null;
  history: MetricsSnapshot[];
}

export const metricsStore = createStore<MetricsState>(() => ({ latest: null, history: [] }));

export function useMetrics<T>(selector: (state: MetricsState) => T): T {
  return useStore(metricsStore, selector);
}

export function addMetrics(snapshot: MetricsSnapshot): void {
  metricsStore.setState((state) => {
    const cutoffMs = snapshot.atMs - HISTORY_WINDOW_MS;
    let start = 0;
    while (start < state.history.length && state.history[start].atMs < cutoffMs) start++;
    const history = state.history.slice(start);
    history.push(snapshot);
    return { latest: snapshot, history };
  });
}
