import { z } from 'zod';
import type { Company } from '../../../../finance/company';

/** What the list shows of a customer before anything is read again. */
export interface CustomerChoice {
  id: number;
  name: string;
  city?: string;
  exactCode?: string;
  /** The division the link is in (undefined: the connection's default): codes are per division. */
  division?: number;
  linked: boolean;
}

export const choiceOf = (company: Company): CustomerChoice => ({ id: company.id, name: company.name, city: company.city, exactCode: company.exactCode, division: company.division, linked: !!company.exactId });

const MAX_RECENT = 8;
const storedSchema = z.array(z.object({ id: z.number().int().positive(), name: z.string(), city: z.string().optional(), exactCode: z.string().optional(), division: z.number().int().positive().optional(), linked: z.boolean() }));

/**
 * The customers a person opened last, newest first, in this browser's localStorage under their
 * own sign-in name: two people sharing a machine keep their own lists. Names are a display copy;
 * the panel reads the company afresh when it opens.
 */
export function recentCustomers(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined, user: string) {
  const key = `exactCrm.recentCustomers:${user.trim().toLowerCase()}`;
  // Without a sign-in name everyone on the browser would share one list: then nothing is kept.
  if (!user.trim()) storage = undefined;
  const read = (): CustomerChoice[] => {
    try {
      const parsed = storedSchema.safeParse(JSON.parse(storage?.getItem(key) ?? '[]'));
      return parsed.success ? parsed.data.slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  };
  const store = (next: CustomerChoice[]): CustomerChoice[] => {
    try {
      storage?.setItem(key, JSON.stringify(next));
    } catch {
      // A full or blocked storage only costs the list; opening the customer goes on.
    }
    return next;
  };
  return {
    list: read,
    remember: (choice: CustomerChoice): CustomerChoice[] => store([choice, ...read().filter((c) => c.id !== choice.id)].slice(0, MAX_RECENT)),
    /** A customer the CRM no longer has leaves the list. */
    forget: (id: number): CustomerChoice[] => store(read().filter((c) => c.id !== id)),
    /** The CRM's current name, city and link replace the stored copy, where it stays. */
    refresh: (choice: CustomerChoice): CustomerChoice[] => store(read().map((c) => (c.id === choice.id ? choice : c))),
  };
}
