import * as React from 'react';
import { ActionButton, DefaultButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Text } from '@fluentui/react/lib/Text';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ProfileEditorStrings';
import { format } from '../../../../ui/format';

/** Above the mapping grid: how many columns have a suggested field, and Accept all. */
export function SuggestionBar(props: { count: number; onAcceptAll: () => void }): React.ReactElement | null {
  if (props.count === 0) return null;
  return (
    <MessageBar
      messageBarType={MessageBarType.info}
      isMultiline
      styles={{ root: { marginBottom: 8 } }}
      actions={
        <div>
          <DefaultButton text={strings.SuggestAcceptAll} iconProps={{ iconName: 'CheckList' }} onClick={props.onAcceptAll} data-testid="accept-all-suggestions" />
        </div>
      }
    >
      <span data-testid="mapping-suggestions">{format(strings.SuggestTitle, props.count)}</span>
    </MessageBar>
  );
}

/** In a row not mapped yet: the field the automatic mapping offers, and Accept for this row only. */
export function SuggestionRow(props: { column: string; field: string; onAccept: () => void }): React.ReactElement {
  const theme = useTheme();
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: 4 }} data-testid="mapping-suggestion">
      <Text variant="small" styles={{ root: { color: theme.semanticColors.bodySubtext, overflowWrap: 'anywhere' } }}>
        {format(strings.SuggestRow, props.field)}
      </Text>
      <ActionButton
        iconProps={{ iconName: 'CheckMark' }}
        text={strings.SuggestAccept}
        ariaLabel={format(strings.SuggestAcceptLabel, props.column)}
        styles={{ root: { height: 24, padding: 0 } }}
        onClick={props.onAccept}
      />
    </div>
  );
}
