import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Spinner } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'ExactConnectionWebPartStrings';
import { Section } from '../../../ui/components/Section';

interface ConnectProps {
  connecting: boolean;
  onConnect: () => void;
}

/** The not-connected state: what connecting does, and the one button that does it. */
export function ConnectSection(props: ConnectProps): React.ReactElement {
  return (
    <Section id="exact-connect" title={strings.NotConnectedTitle}>
      <Text as="p" block styles={{ root: { margin: '0 0 8px' } }}>
        {strings.NotConnectedText}
      </Text>
      <Text as="p" block styles={{ root: { margin: '0 0 16px' } }}>
        {strings.NotConnectedSteps}
      </Text>
      <PrimaryButton text={strings.ConnectButton} iconProps={{ iconName: 'PlugConnected' }} onClick={props.onConnect} disabled={props.connecting} />
      {props.connecting ? <Spinner label={strings.Connecting} labelPosition="right" styles={{ root: { marginTop: 12, justifyContent: 'flex-start' } }} /> : null}
    </Section>
  );
}

ConnectSection.ReconnectButton = function ReconnectButton(props: ConnectProps): React.ReactElement {
  return <DefaultButton text={strings.ReconnectButton} iconProps={{ iconName: 'PlugConnected' }} onClick={props.onConnect} disabled={props.connecting} />;
};
