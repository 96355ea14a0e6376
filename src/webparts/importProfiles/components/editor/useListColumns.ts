import * as React from 'react';
import type { CrmFieldInfo } from '../../../../sync';
import type { ImportProfilesService } from '../../../../sync/service';

export type ListColumns = { status: 'loading' } | { status: 'ready'; fields: CrmFieldInfo[] } | { status: 'failed'; error: unknown };

/**
 * The columns of each named CRM list, read once per list through the service (the target
 * list, and the lists lookups link to); a list that cannot be opened is `failed` with the reason.
 */
export function useListColumns(service: Pick<ImportProfilesService, 'listColumns'>, titles: string[]): Map<string, ListColumns> {
  const [known, setKnown] = React.useState<Map<string, ListColumns>>(() => new Map());
  const requested = React.useRef(new Set<string>());
  const mounted = React.useRef(true);
  const key = Array.from(new Set(titles.filter((t) => t !== ''))).sort().join('\n');
  React.useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  React.useEffect(() => {
    for (const title of key.split('\n').filter((t) => t !== '')) {
      if (requested.current.has(title)) continue;
      requested.current.add(title);
      setKnown((m) => new Map(m).set(title, { status: 'loading' }));
      service.listColumns(title).then(
        (fields) => mounted.current && setKnown((m) => new Map(m).set(title, { status: 'ready', fields })),
        (error: unknown) => mounted.current && setKnown((m) => new Map(m).set(title, { status: 'failed', error })),
      );
    }
  }, [service, key]);
  return known;
}
