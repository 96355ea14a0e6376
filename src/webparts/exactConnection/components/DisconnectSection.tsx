import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Dialog, DialogFooter, DialogType } from '@fluentui/react/lib/Dialog';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'ExactConnectionWebPartStrings';
import * as common from 'CommonStrings';
import { useConnector } from '../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { Section } from '../../../ui/components/Section';

export function DisconnectSection(props: { onDisconnected: () => void }): React.ReactElement {
  const { services } = useConnector();
  const [open, setOpen] = React.useState(false);
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<unknown>();
  const disconnect = (): void => {
    setBusy(true);
    setError(undefined);
    services.connection.disconnect().then(
      () => {
        setBusy(false);
        setOpen(false);
        props.onDisconnected();
      },
      (e: unknown) => {
        setBusy(false);
        setError(e);
      },
    );
  };
  return (
    <Section id="exact-disconnect" title={strings.DisconnectTitle}>
      <Text as="p" block styles={{ root: { margin: '0 0 12px' } }}>
        {strings.DisconnectText}
      </Text>
      <DefaultButton text={strings.DisconnectButton} iconProps={{ iconName: 'PlugDisconnected' }} onClick={() => setOpen(true)} />
      <Dialog
        hidden={!open}
        onDismiss={() => !busy && setOpen(false)}
        dialogContentProps={{ type: DialogType.normal, title: strings.DisconnectConfirmTitle, subText: strings.DisconnectConfirmText }}
        modalProps={{ isBlocking: true }}
      >
        <Text as="p" block>
          {strings.DisconnectConfirmKeeps}
        </Text>
        {error ? <ProblemMessage error={error} /> : null}
        <DialogFooter>
          <PrimaryButton text={strings.DisconnectConfirmButton} onClick={disconnect} disabled={busy} />
          <DefaultButton text={common.Cancel} onClick={() => setOpen(false)} disabled={busy} />
        </DialogFooter>
      </Dialog>
    </Section>
  );
}
