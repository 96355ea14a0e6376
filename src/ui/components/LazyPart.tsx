import * as React from 'react';
import { MessageBarButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import * as common from 'CommonStrings';

/**
 * A part of a page that webpack puts in a chunk of its own (`import()`), so the web part's first
 * bundle stays small. While the chunk travels the part shows a labelled spinner; when it does not
 * arrive (offline, or a new deployment replaced the file) it says so and offers to try again.
 * `preload()` starts the download early, e.g. next to the request whose answer the part shows,
 * so the chunk usually costs no waiting of its own.
 */
export interface LazyPart<P> extends React.FunctionComponent<P> {
  preload: () => Promise<void>;
}

/** Only a chunk that failed to load is this boundary's business; other errors go on up as before. */
class PartLoadError extends Error {
  public constructor(public readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'PartLoadError';
  }
}

interface BoundaryProps {
  onRetry: () => void;
  children?: React.ReactNode;
}

class PartBoundary extends React.Component<BoundaryProps, { error?: unknown }> {
  public state: { error?: unknown } = {};

  public static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error };
  }

  public render(): React.ReactNode {
    const { error } = this.state;
    if (error === undefined) return this.props.children;
    if (!(error instanceof PartLoadError)) throw error;
    // Not ProblemMessage: a part may be what brings the connector's services (the list's dialog).
    return (
      <MessageBar messageBarType={MessageBarType.error} isMultiline actions={<MessageBarButton onClick={this.props.onRetry}>{common.Retry}</MessageBarButton>}>
        {common.PartLoadFailed}
        {/* Not format() from ../format: its date-fns would come along into the smallest bundles. */}
        {error.message ? <div>{common.Details.replace('{0}', error.message)}</div> : null}
      </MessageBar>
    );
  }
}

/**
 * `label`: the spinner's words (a function, so the loc strings are read at render time); the
 * common "Loading…" when left out.
 */
export function lazyPart<P extends object>(load: () => Promise<React.ComponentType<P>>, label?: () => string): LazyPart<P> {
  let pending: Promise<React.ComponentType<P>> | undefined;
  // React.lazy keeps a failed load for good: after a failure the next mount (another customer,
  // the profile opened again) and the next preload start a fresh one, not only Retry (review finding).
  let failed = false;
  const fetch = (): Promise<React.ComponentType<P>> =>
    (pending ??= load().catch((reason: unknown) => {
      pending = undefined;
      failed = true;
      throw new PartLoadError(reason);
    }));
  const fresh = (): React.LazyExoticComponent<React.ComponentType<P>> => React.lazy(async () => ({ default: await fetch() }));
  let Loaded = fresh();
  const renew = (): void => {
    if (!failed) return;
    failed = false;
    Loaded = fresh();
  };

  const Part = (props: P): React.ReactElement => {
    // A new mount after a failure tries again (once per mount, not on every render).
    React.useState(renew);
    const [attempt, setAttempt] = React.useState(0);
    const retry = (): void => {
      failed = true;
      renew();
      setAttempt((n) => n + 1);
    };
    // LazyExoticComponent's props type (PropsWithRef) does not line up with a generic P.
    const Component = Loaded as unknown as React.ComponentType<P>;
    return (
      <PartBoundary key={attempt} onRetry={retry}>
        <React.Suspense fallback={<Spinner size={SpinnerSize.large} label={label ? label() : common.Loading} />}>
          <Component {...props} />
        </React.Suspense>
      </PartBoundary>
    );
  };
  Part.preload = (): Promise<void> => {
    renew();
    return fetch().then(
      () => undefined,
      // The part itself shows the failure when it renders.
      () => undefined,
    );
  };
  return Part;
}
