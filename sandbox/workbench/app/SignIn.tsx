import * as React from 'react';
import { PrimaryButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { format } from '../../../src/ui/format';
import type { SignedIn, WorkbenchSession } from './session';
import type { WorkbenchStrings } from './strings';

export function SignIn(props: { session: WorkbenchSession; strings: WorkbenchStrings; onSignedIn: (who: SignedIn) => void }): React.ReactElement {
  const { strings: t } = props;
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | undefined>();
  const signIn = (): void => {
    setBusy(true);
    setError(undefined);
    props.session.signIn().then(props.onSignedIn, (e: unknown) => {
      setBusy(false);
      const message = e instanceof Error ? e.message : String(e);
      setError(/popup_window_error|empty_window_error|blocked/i.test(message) ? t.signInBlocked : format(t.signInFailed, message));
    });
  };
  return (
    <main aria-labelledby="sign-in-title" style={{ maxWidth: 520, margin: '48px auto', padding: '0 16px' }}>
      <Text as="h1" id="sign-in-title" variant="xxLarge" block styles={{ root: { margin: '0 0 12px', fontWeight: 600 } }}>
        {t.signInTitle}
      </Text>
      <Text as="p" block styles={{ root: { margin: '0 0 8px' } }}>
        {t.signInText}
      </Text>
      <Text as="p" block styles={{ root: { margin: '0 0 20px' } }}>
        {t.signInDemoUsers}
      </Text>
      {error ? (
        <MessageBar messageBarType={MessageBarType.error} isMultiline styles={{ root: { marginBottom: 12 } }}>
          {error}
        </MessageBar>
      ) : null}
      <PrimaryButton text={t.signInButton} onClick={signIn} disabled={busy} />
      {busy ? <Spinner label={t.signingIn} labelPosition="right" styles={{ root: { marginTop: 12, justifyContent: 'flex-start' } }} /> : null}
    </main>
  );
}
