import { z } from 'zod';
import { fillTemplate } from '../sync/words';

/**
 * Why an order run's entry or undo line is what it is: a code and its parts, never a sentence.
 * The sentence is made when someone reads it, in their language (`renderOrderReason` with the
 * English words below, or the Orders tab's loc strings, which carry the same keys). Exact's own
 * messages (`exact`) and the text of runs saved before reasons had codes (`asWritten`) are shown
 * as written.
 */

/** The parts each code carries, in the order its sentence uses them. */
export interface OrderReasonArgs {
  customerAmbiguous: [customer: string];
  customerUnmapped: [customer: string];
  vatUnknown: [vatCode: string, sku: string];
  productUnmapped: [sku: string];
  /** Linked instead of created: Exact already had the document under the reference. */
  linkedOrder: [orderNumber: number | string, reference: string];
  linkedInvoice: [invoiceNumber: number | string, reference: string];
  linkedConcept: [reference: string];
  /** Two POSTs without an answer, and nothing under the reference (runs before a lost answer was looked up once). */
  noAnswer: [reference: string];
  /** A lost answer, looked up once and not found: the next run's lookup settles it. */
  unanswered: [];
  /** The reference is another customer's document in Exact: the reference, its number, and the customer. */
  referenceOtherOrder: [reference: string, orderNumber: number | string, customer: string];
  referenceOtherInvoice: [reference: string, invoiceNumber: number | string, customer: string];
  referenceOtherConcept: [reference: string, customer: string];
  /** The CRM order was edited (or is no longer ready) since it was read: its name. */
  crmChanged: [order: string];
  /** Undo keeps an order Exact has moved on: its number, Exact's status text (lower case) and status. */
  orderKept: [orderNumber: number | string, statusText: string, status: number | string];
  orderKeptMoved: [orderNumber: number | string, statusText: string, status: number | string];
  invoiceProcessed: [];
  invoiceKept: [status: number | string, statusText: string];
  orderGone: [];
  invoiceGone: [];
  noJournal: [];
  notSalesJournal: [journal: string, division: number | string, journals: string];
  noSalesJournals: [journal: string, division: number | string];
  /** The CRM order's write-back failed: its item id, list, and SharePoint's answer. */
  crmNotUpdated: [itemId: number | string, list: string, answer: string];
  crmNotUpdatedNoAnswer: [itemId: number | string, list: string];
  /** After an undo the CRM order could not be made ready again: its item id and SharePoint's answer. */
  crmNotReopened: [itemId: number | string, answer: string];
  /** Exact's own message, as Exact wrote it. */
  exact: [message: string];
  /** Text of a run saved before reasons had codes, or an error's own message: shown as written. */
  asWritten: [text: string];
}
export type OrderReasonCode = keyof OrderReasonArgs;

export interface OrderReason {
  code: OrderReasonCode;
  args: Array<string | number>;
}

export function orderBecause<C extends OrderReasonCode>(code: C, ...args: OrderReasonArgs[C]): OrderReason {
  return { code, args };
}

type Worded = Exclude<OrderReasonCode, 'exact' | 'asWritten'>;

/** The sentences, one per code: `Why` + the code, capitalised. */
export type OrderReasonWords = { [K in Worded as `Why${Capitalize<K>}`]: string };

/** The engine's English: the sentences it wrote before codes (except as `OLDER_ENGLISH` says), so older runs read back as codes. */
export const englishOrderReasons: OrderReasonWords = {
  WhyCustomerAmbiguous: 'Customer {0} matches more than one Exact account; choose one.',
  WhyCustomerUnmapped: 'Customer {0} is not mapped to an Exact account.',
  WhyVatUnknown: 'VAT code {0} of product {1} is not in the division.',
  WhyProductUnmapped: 'Product {0} is not mapped to an Exact item.',
  WhyLinkedOrder: 'Exact already has order {0} with reference {1}: linked, not created again.',
  WhyLinkedInvoice: 'Exact already has invoice {0} with reference {1}: linked, not created again.',
  WhyLinkedConcept: 'Exact already has a concept invoice with reference {0}: linked, not created again.',
  WhyNoAnswer: 'No answer from Exact twice for {0}, and nothing with that reference exists in Exact; run again to retry.',
  WhyUnanswered: 'Exact did not answer in time; run the profile again — its lookup links the order if Exact made it, otherwise creates it.',
  WhyReferenceOtherOrder: 'Reference {0} is already used in Exact by order {1} of another customer (account {2}); change the profile\'s reference prefix.',
  WhyReferenceOtherInvoice: 'Reference {0} is already used in Exact by invoice {1} of another customer (account {2}); change the profile\'s reference prefix.',
  WhyReferenceOtherConcept: 'Reference {0} is already used in Exact by invoice of another customer (account {1}); change the profile\'s reference prefix.',
  WhyCrmChanged: 'CRM order {0} changed in the CRM since it was read; read the orders again.',
  WhyOrderKept: 'Order {0} is {1} in Exact (status {2}); only open orders are deleted.',
  WhyOrderKeptMoved: 'Order {0} is {1} in Exact (status {2}), with goods delivered or invoiced; only open orders are deleted.',
  WhyInvoiceProcessed: 'It has been processed in Exact; only concept invoices (not yet processed) are deleted.',
  WhyInvoiceKept: 'It has status {0} ({1}) in Exact; only concept invoices (not yet processed) are deleted.',
  WhyOrderGone: 'Exact no longer has this order.',
  WhyInvoiceGone: 'Exact no longer has this invoice.',
  WhyNoJournal: 'The order profile has no sales journal (dagboek); choose one before sending concept invoices.',
  WhyNotSalesJournal: 'Sales journal (dagboek) {0} is not a sales journal of administration {1} in Exact (it has {2}); choose another in the order profile.',
  WhyNoSalesJournals: 'Sales journal (dagboek) {0} is not a sales journal of administration {1} in Exact (it has none); choose another in the order profile.',
  WhyCrmNotUpdated: 'CRM order {0} ({1}) was not updated: {2}. The next run updates it; Exact keeps one order.',
  WhyCrmNotUpdatedNoAnswer: 'CRM order {0} ({1}) was not updated: no answer. The next run updates it; Exact keeps one order.',
  WhyCrmNotReopened: 'CRM order {0} still shows the deleted Exact order: {1}. Set its status to Ready for Exact to send it again.',
};

export const orderReasonWordKey = (code: Worded): keyof OrderReasonWords => `Why${code.charAt(0).toUpperCase()}${code.slice(1)}` as keyof OrderReasonWords;

export const ORDER_REASON_CODES = [...(Object.keys(englishOrderReasons) as Array<keyof OrderReasonWords>).map((key) => `${key.charAt(3).toLowerCase()}${key.slice(4)}` as Worded), 'exact', 'asWritten'] as OrderReasonCode[];

export function renderOrderReason(reason: OrderReason, words: OrderReasonWords = englishOrderReasons): string {
  if (reason.code === 'exact' || reason.code === 'asWritten') return String(reason.args[0] ?? '');
  return fillTemplate(words[orderReasonWordKey(reason.code)], reason.args);
}

/** How runs saved before codes said a link: without the run log's "linked, not created again". */
const OLDER_ENGLISH: OrderReasonWords = {
  ...englishOrderReasons,
  WhyLinkedOrder: 'Exact already has order {0} with reference {1}.',
  WhyLinkedInvoice: 'Exact already has invoice {0} with reference {1}.',
  WhyLinkedConcept: 'Exact already has a concept invoice with reference {0}.',
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each English sentence (today's and the older) as a pattern with one group per part, and which part each group is. */
const LEGACY = [englishOrderReasons, OLDER_ENGLISH].flatMap((english) => (Object.keys(english) as Array<keyof OrderReasonWords>).map((key) => {
  const pieces = english[key].split(/\{(\d+)\}/);
  const order = pieces.filter((_, i) => i % 2 === 1).map(Number);
  const pattern = new RegExp(`^${pieces.map((piece, i) => (i % 2 === 1 ? '([\\s\\S]*?)' : escapeRegExp(piece))).join('')}$`);
  return { code: `${key.charAt(3).toLowerCase()}${key.slice(4)}` as Worded, pattern, order, english };
  // Fewer parts first: "(it has none)" is noSalesJournals, not notSalesJournal with the part "none".
})).sort((a, b) => a.order.length - b.order.length);

/**
 * The code an English sentence of an older run names; a sentence is taken for a code only when
 * that code's English reads exactly as it, and any other (Exact's own words) is kept as written.
 */
export function legacyOrderReason(sentence: string): OrderReason {
  for (const { code, pattern, order, english } of LEGACY) {
    const match = pattern.exec(sentence);
    if (!match) continue;
    const args: string[] = [];
    order.forEach((index, group) => { args[index] = match[group + 1] ?? ''; });
    const reason: OrderReason = { code, args };
    if (renderOrderReason(reason, english) === sentence) return reason;
  }
  return orderBecause('asWritten', sentence);
}

/**
 * An error's message as a reason: a sentence of the engine's own (also when an adapter throws it
 * as a refusal) as its code, anything else as `otherwise` (`exact`: Exact's words; `asWritten`).
 */
export function reasonOfMessage(message: string, otherwise: 'exact' | 'asWritten'): OrderReason {
  const reason = legacyOrderReason(message);
  return reason.code === 'asWritten' ? orderBecause(otherwise, message) : reason;
}

const codes = ORDER_REASON_CODES as [OrderReasonCode, ...OrderReasonCode[]];
const codedSchema = z.object({ code: z.enum(codes), args: z.array(z.union([z.string(), z.number().finite()])) });

/** A stored reason, or the English sentence a run saved before codes holds (read as the code it names). */
export const orderReasonSchema = z.preprocess((v) => (typeof v === 'string' ? legacyOrderReason(v) : v), codedSchema);

/** An engine refusal that is one reason (a profile that cannot send at all): the screens word it, the message is its English. */
export class OrderReasonError extends Error {
  public constructor(public readonly reason: OrderReason) {
    super(renderOrderReason(reason));
    this.name = 'OrderReasonError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
