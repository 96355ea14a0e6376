import * as React from 'react';
import { Text } from '@fluentui/react/lib/Text';
import { useTheme } from '@fluentui/react/lib/Theme';
import { problemsAt } from './localChecks';
import type { EditorProblem } from './problemText';

/** A problem's words as a string for a Fluent control's `errorMessage`; undefined when there is none. */
export function errorFor(problems: readonly EditorProblem[], path: string): string | undefined {
  const here = problems.filter((p) => p.path === path);
  return here.length > 0 ? here.map((p) => p.text).join('; ') : undefined;
}

/** The problems of a block (a grid row, a signal) shown under it, announced when they change. */
export function FieldProblems(props: { problems: readonly EditorProblem[]; path: string; id?: string; exact?: boolean }): React.ReactElement | null {
  const theme = useTheme();
  const list = props.exact ? props.problems.filter((p) => p.path === props.path) : problemsAt(props.problems, props.path);
  if (list.length === 0) return null;
  return (
    <div id={props.id} role="alert">
      {list.map((p, i) => (
        <Text key={i} block variant="small" styles={{ root: { color: theme.semanticColors.errorText, overflowWrap: 'anywhere' } }}>
          {p.text}
        </Text>
      ))}
    </div>
  );
}
