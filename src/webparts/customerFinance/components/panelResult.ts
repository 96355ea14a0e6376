import type { DivisionLink, FinancePanel } from '../../../finance/financeService';

/** One division's read for the panel: its figures, or why they are missing. */
export type PanelResult = { ok: true; link: DivisionLink; panel: FinancePanel } | { ok: false; link: DivisionLink; error: unknown };
