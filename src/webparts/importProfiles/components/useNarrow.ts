import * as React from 'react';

/**
 * Whether the element is narrower than `width` px: a web part in a narrow page column or Teams'
 * 320 px tab, whatever the window's width, gets the stacked layout instead of a table. A callback
 * ref, so an element that appears after a spinner is measured too.
 */
export function useNarrow<T extends HTMLElement>(width: number): [(element: T | null) => void, boolean] {
  const [narrow, setNarrow] = React.useState(false);
  const observer = React.useRef<ResizeObserver | undefined>();
  const ref = React.useCallback(
    (element: T | null) => {
      observer.current?.disconnect();
      observer.current = undefined;
      if (!element || typeof ResizeObserver === 'undefined') return;
      setNarrow(element.clientWidth < width);
      observer.current = new ResizeObserver(() => setNarrow(element.clientWidth < width));
      observer.current.observe(element);
    },
    [width],
  );
  React.useEffect(() => () => observer.current?.disconnect(), []);
  return [ref, narrow];
}
