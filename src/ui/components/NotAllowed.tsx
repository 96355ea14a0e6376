import * as React from 'react';
import { Icon } from '@fluentui/react/lib/Icon';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';

/** The "not for you" state: says who may, and whom to ask, instead of an empty page. */
export function NotAllowed(props: { title: string; message: string }): React.ReactElement {
  const theme = useTheme();
  const classes = mergeStyleSets({
    root: { display: 'flex', gap: 16, alignItems: 'flex-start', padding: 20, border: `1px solid ${theme.palette.neutralLight}`, borderRadius: 4, background: theme.palette.neutralLighterAlt },
    icon: { fontSize: 28, color: theme.palette.themePrimary, flexShrink: 0 },
  });
  return (
    <section className={classes.root} aria-labelledby="connector-not-allowed-title" role="region">
      <Icon iconName="Lock" className={classes.icon} aria-hidden />
      <div>
        <Text as="h2" id="connector-not-allowed-title" variant="large" block styles={{ root: { margin: '0 0 8px', fontWeight: 600 } }}>
          {props.title}
        </Text>
        <Text as="p" block styles={{ root: { margin: 0 } }}>
          {props.message}
        </Text>
      </div>
    </section>
  );
}
