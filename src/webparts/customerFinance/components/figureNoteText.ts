import * as strings from 'CustomerFinanceWebPartStrings';
import type { FigureNote } from '../../../finance/figureNotes';
import { format } from '../../../ui/format';

/** A figure note in the person's words, amounts formatted by `money`. */
export function figureNoteText(note: FigureNote, money: (amount: number) => string): string {
  if ('label' in note) return format(strings.NoteRevenue, money(note.credited), note.label, money(note.invoiced));
  const credits =
    note.creditNotes > 0 && note.payments > 0
      ? format(strings.CreditsBoth, money(note.creditNotes), money(note.payments))
      : note.creditNotes > 0
        ? format(strings.CreditsNotes, money(note.creditNotes))
        : format(strings.CreditsPayments, money(note.payments));
  return format(note.figure === 'overdue' ? strings.NoteOverdue : strings.NoteNotDue, credits);
}
