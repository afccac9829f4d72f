import type { FailedSummary } from '../../engine/console/message-view.js';

/** Paths and answers of the console API (docs/CONSOLE-API.md) that more than one command uses. */

export interface FailedPage {
  total: number;
  items: FailedSummary[];
}

export const messagePath = (id: string, action = '') => `/messages/${encodeURIComponent(id)}${action && `/${action}`}`;
