import * as React from 'react';
import { Dropdown, type IDropdownOption } from '@fluentui/react/lib/Dropdown';
import { Toggle } from '@fluentui/react/lib/Toggle';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ProfileEditorStrings';
import type { CrmFieldInfo, ExactEntityInfo } from '../../../../sync';
import { format } from '../../../../ui/format';
import { PAIRED_SIGNALS, type MatchDraft } from './draft';
import { FieldProblems } from './FieldProblems';
import { withCurrent } from './GeneralFields';
import { signalLabel, type EditorProblem } from './problemText';

export interface MatchingFieldsProps {
  rules: MatchDraft[];
  setRules: (rules: MatchDraft[]) => void;
  problems: readonly EditorProblem[];
  entity?: ExactEntityInfo;
  columns?: CrmFieldInfo[];
}

/** The match cascade: each signal on or off, with the Exact fields and CRM columns it compares. */
export function MatchingFields(props: MatchingFieldsProps): React.ReactElement {
  const theme = useTheme();
  const classes = mergeStyleSets({
    rule: { padding: '8px 0', borderBottom: `1px solid ${theme.palette.neutralLighter}`, minWidth: 0 },
    fields: { display: 'grid', gap: 8, gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 200px), 1fr))' },
  });
  const exactOptions: IDropdownOption[] = (props.entity?.fields ?? []).map((f) => ({ key: f.name, text: f.name }));
  const crmOptions: IDropdownOption[] = (props.columns ?? []).map((c) => ({ key: c.internalName, text: `${c.title} (${c.internalName})` }));
  const set = (i: number, next: MatchDraft): void => props.setRules(props.rules.map((r, n) => (n === i ? next : r)));
  let enabledIndex = -1;
  return (
    <div>
      {props.rules.map((rule, i) => {
        if (rule.enabled) enabledIndex++;
        const path = `matching[${enabledIndex}]`;
        const label = signalLabel(rule.signal);
        const count = PAIRED_SIGNALS.indexOf(rule.signal) >= 0 ? 2 : 1;
        const picker = (side: 'exact' | 'crm', at: number): React.ReactElement => {
          const options = side === 'exact' ? exactOptions : crmOptions;
          const text = side === 'exact' ? (at === 0 ? strings.MatchExact : strings.MatchExactSecond) : at === 0 ? strings.MatchCrm : strings.MatchCrmSecond;
          return (
            <Dropdown
              key={`${side}${at}`}
              label={format(text, label)}
              options={withCurrent(options, rule[side][at], (v) => v)}
              selectedKey={rule[side][at] || null}
              onChange={(_, o) => {
                if (!o) return;
                const values = rule[side].slice(0, count);
                while (values.length < count) values.push('');
                values[at] = String(o.key);
                set(i, { ...rule, [side]: values });
              }}
            />
          );
        };
        return (
          <div key={rule.signal} className={classes.rule} data-signal={rule.signal}>
            <Toggle label={format(strings.MatchUse, label)} inlineLabel checked={rule.enabled} onChange={(_, on) => set(i, { ...rule, enabled: on === true })} />
            {rule.enabled ? (
              <>
                <div className={classes.fields}>
                  {Array.from({ length: count }, (_, at) => picker('exact', at))}
                  {Array.from({ length: count }, (_, at) => picker('crm', at))}
                </div>
                <FieldProblems problems={props.problems} path={path} />
              </>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
