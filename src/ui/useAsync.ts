import * as React from 'react';

export type AsyncState<T> = { status: 'loading' } | { status: 'ready'; value: T; at: number } | { status: 'failed'; error: unknown };

/**
 * Runs `load` on mount and on `reload()`, keeping the last value while a reload is under way so
 * a page does not flash back to a spinner. Results of a superseded load are dropped.
 */
export function useAsync<T>(load: () => Promise<T>, deps: React.DependencyList): { state: AsyncState<T>; reloading: boolean; reload: () => void; set: (value: T) => void } {
  const [state, setState] = React.useState<AsyncState<T>>({ status: 'loading' });
  const [reloading, setReloading] = React.useState(false);
  const generation = React.useRef(0);
  const run = React.useCallback(() => {
    const mine = ++generation.current;
    setReloading(true);
    load().then(
      (value) => {
        if (mine !== generation.current) return;
        setState({ status: 'ready', value, at: Date.now() });
        setReloading(false);
      },
      (error: unknown) => {
        if (mine !== generation.current) return;
        setState({ status: 'failed', error });
        setReloading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  React.useEffect(() => {
    run();
    return () => {
      generation.current++;
    };
  }, [run]);
  const set = React.useCallback((value: T) => {
    generation.current++;
    setReloading(false);
    setState({ status: 'ready', value, at: Date.now() });
  }, []);
  return { state, reloading, reload: run, set };
}
