/** Window-wide state: the current screen, queue state, notices, config and export formats. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ExportFormatInfo, ServiceConfig } from '../../shared/contract';
import type { RejectedInput } from '../host/host';

export type Screen = 'tasks' | 'pool' | 'settings';

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  title: string;
  items: RejectedInput[];
}

export interface AppState {
  screen: Screen;
  queuePaused: boolean;
  connected: boolean;
  notices: Notice[];
  config: ServiceConfig | null;
  exportFormats: ExportFormatInfo[];
  exportDialogOpen: boolean;
}

export const appStore = createStore<AppState>(() => ({
  screen: 'tasks',
  queuePaused: false,
  connected: true,
  notices: [],
  config: null,
  exportFormats: [],
  exportDialogOpen: false,
}));

export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}

let nextNoticeId = 1;

export function addNotice(notice: Omit<Notice, 'id'>): void {
  appStore.setState((state) => ({
    notices: [...state.notices.slice(-4), { ...notice, id: nextNoticeId++ }],
  }));
}

export function dismissNotice(id: number): void {
  appStore.setState((state) => ({ notices: state.notices.filter((n) => n.id !== id) }));
}
