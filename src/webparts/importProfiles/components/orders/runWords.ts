import * as strings from 'OrderProfilesStrings';
import type { OrderDocument } from '../../../../orders/ports';
import type { OrderProfile } from '../../../../orders/profile';
import { format } from '../../../../ui/format';

/** The words of a run that depend on what it makes in Exact: sales orders or concept invoices. */
export interface RunWords {
  sendTitle: string;
  send: string;
  confirmTitle: string;
  /** {0} administration, {1} count, {2} amount incl. VAT, {3} journal. */
  confirmText: string;
  confirm: string;
  progress: string;
  colNumber: string;
  undoConfirmTitle: string;
  undoConfirmText: string;
  undoRefused: string;
  /** In the number column for a document Exact has without a number yet (a concept invoice). */
  noNumber: string;
  nothingNew: string;
  nothingNewSome: string;
  undoing: string;
  logListLabel: string;
}

/** A run saved before invoices existed has no document: it made sales orders. */
export function runWords(document: OrderDocument | undefined): RunWords {
  return document === 'salesInvoice'
    ? {
      sendTitle: strings.SendTitleInvoices, send: strings.SendInvoices, confirmTitle: strings.ConfirmTitleInvoices, confirmText: strings.ConfirmTextInvoices,
      confirm: strings.ConfirmInvoices, progress: strings.ProgressInvoices, colNumber: strings.ColInvoiceNumber,
      undoConfirmTitle: strings.UndoConfirmTitleInvoices, undoConfirmText: strings.UndoConfirmTextInvoices, undoRefused: strings.UndoRefusedInvoice,
      noNumber: strings.InvoiceConcept,
      nothingNew: strings.NothingNewInvoices, nothingNewSome: strings.NothingNewSomeInvoices, undoing: strings.UndoingInvoices, logListLabel: strings.LogListLabelInvoices,
    }
    : {
      sendTitle: strings.SendTitle, send: strings.Send, confirmTitle: strings.ConfirmTitle, confirmText: strings.ConfirmText,
      confirm: strings.Confirm, progress: strings.Progress, colNumber: strings.ColOrderNumber,
      undoConfirmTitle: strings.UndoConfirmTitle, undoConfirmText: strings.UndoConfirmText, undoRefused: strings.UndoRefused,
      noNumber: '—',
      nothingNew: strings.NothingNew, nothingNewSome: strings.NothingNewSome, undoing: strings.Undoing, logListLabel: strings.LogListLabel,
    };
}

export const profileDocument = (profile: OrderProfile): OrderDocument | undefined => (profile.target.kind === 'exactOnline' ? profile.target.document : undefined);

/** The profile's one line in the list: what it makes, where, and how much is mapped. */
export function profileSummary(profile: OrderProfile, division: string): string {
  const customers = Object.keys(profile.mapping.customers).length;
  const products = Object.keys(profile.mapping.products).length;
  if (profile.target.kind === 'exactOnline' && profile.target.document === 'salesInvoice') {
    return format(strings.ProfileSummaryInvoices, division, profile.target.journal ?? '—', customers, products);
  }
  return format(profile.target.kind === 'exactOnline' ? strings.ProfileSummaryOnline : strings.ProfileSummaryGlobe, division, customers, products);
}
