import * as React from 'react';
import { ActionButton } from '@fluentui/react/lib/Button';
import { Text } from '@fluentui/react/lib/Text';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ProfileEditorStrings';
import { Section } from '../../../../ui/components/Section';
import { format } from '../../../../ui/format';

/**
 * A section most profiles leave as it is (matching, filter): folded to one line that says what
 * it holds, so the editor stays short; it opens by itself when it has a problem to show.
 */
export function FoldingSection(props: { id: string; title: string; summary: string; forceOpen: boolean; children: React.ReactNode }): React.ReactElement {
  const theme = useTheme();
  const [open, setOpen] = React.useState(false);
  const shown = open || props.forceOpen;
  const toggle = (
    <ActionButton
      iconProps={{ iconName: shown ? 'ChevronUp' : 'ChevronDown' }}
      text={shown ? strings.FoldHide : strings.FoldShow}
      ariaLabel={format(shown ? strings.FoldHideLabel : strings.FoldShowLabel, props.title)}
      aria-expanded={shown}
      aria-controls={`${props.id}-body`}
      disabled={props.forceOpen}
      onClick={() => setOpen(!shown)}
    />
  );
  return (
    <Section id={props.id} title={props.title} actions={toggle}>
      {shown ? (
        <div id={`${props.id}-body`}>{props.children}</div>
      ) : (
        <Text id={`${props.id}-body`} block styles={{ root: { color: theme.semanticColors.bodySubtext, overflowWrap: 'anywhere' } }}>
          {props.summary}
        </Text>
      )}
    </Section>
  );
}
