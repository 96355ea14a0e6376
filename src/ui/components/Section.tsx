import * as React from 'react';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';

/** A titled card; stacks its content at Teams' 320 px without cutting anything off. */
export function Section(props: { id: string; title: string; actions?: React.ReactNode; children?: React.ReactNode }): React.ReactElement {
  const theme = useTheme();
  const classes = mergeStyleSets({
    root: {
      padding: '16px 20px',
      border: `1px solid ${theme.palette.neutralQuaternaryAlt}`,
      borderRadius: 4,
      background: theme.semanticColors.bodyBackground,
      minWidth: 0,
      selectors: { '@media (max-width: 480px)': { padding: '12px' } },
    },
    header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, marginBottom: 12 },
  });
  return (
    <section className={classes.root} aria-labelledby={`${props.id}-title`}>
      <div className={classes.header}>
        <Text as="h2" id={`${props.id}-title`} variant="large" styles={{ root: { margin: 0, fontWeight: 600 } }}>
          {props.title}
        </Text>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}
