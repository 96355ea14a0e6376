import * as React from 'react';

/** An element's own width: in a narrow column (Teams, a phone, a side section) rows become cards. */
export function useNarrow(ref: React.RefObject<HTMLElement>, below: number): boolean {
  const [narrow, setNarrow] = React.useState(false);
  React.useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(([entry]) => setNarrow((entry?.contentRect.width ?? below) < below));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, below]);
  return narrow;
}
