import * as React from 'react';

/** The current time, re-read every `everyMs`, so "3 minutes ago" stays true on an open page. */
export function useNow(everyMs: number): number {
  const [now, setNow] = React.useState(() => Date.now());
  React.useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
