import * as React from 'react';
import { ActionButton, IconButton } from '@fluentui/react/lib/Button';
import { ChoiceGroup } from '@fluentui/react/lib/ChoiceGroup';
import { Dropdown } from '@fluentui/react/lib/Dropdown';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { TextField } from '@fluentui/react/lib/TextField';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'ProfileEditorStrings';
import type { ExactEntityInfo } from '../../../../sync';
import { format } from '../../../../ui/format';
import { errorFor } from './FieldProblems';
import { buildFilter, incompleteConditions, literalFor, operatorsFor, parseFilter, type FilterModel, type FilterOperator } from './filterBuilder';
import type { EditorProblem } from './problemText';

const classes = mergeStyleSets({
  condition: {
    display: 'grid',
    gap: 8,
    gridTemplateColumns: 'minmax(0, 1.2fr) minmax(0, 1fr) minmax(0, 1.2fr) 32px',
    alignItems: 'end',
    marginBottom: 8,
    selectors: { '@media (max-width: 640px)': { gridTemplateColumns: 'minmax(0, 1fr) 32px' } },
  },
  full: { minWidth: 0, selectors: { '@media (max-width: 640px)': { gridColumn: '1 / 2' } } },
});

const operatorLabel = (op: FilterOperator): string => (strings as unknown as Record<string, string>)[`Op${op.charAt(0).toUpperCase()}${op.slice(1)}`] ?? op;
const valueHint: Record<string, string> = {
  guid: strings.ValueGuid,
  boolean: strings.ValueBoolean,
  datetime: strings.ValueDatetime,
  int: strings.ValueInt,
  double: strings.ValueDouble,
};

export interface FilterFieldsProps {
  filter: string;
  setFilter: (filter: string) => void;
  entity?: ExactEntityInfo;
  problems: readonly EditorProblem[];
}

/**
 * Conditions joined by and/or, written into the OData text as they change; the text stays
 * editable, and what the builder cannot show is left to the text alone.
 */
export function FilterFields(props: FilterFieldsProps): React.ReactElement {
  // The builder keeps its own conditions: one still being typed is not in the text yet.
  const [model, setModel] = React.useState<FilterModel | undefined>(() => parseFilter(props.filter));
  const entity = props.entity;
  const fields = entity?.fields ?? [];
  const edit = (next: FilterModel): void => {
    setModel(next);
    if (entity) props.setFilter(buildFilter(next, entity));
  };
  const incomplete = model && entity ? incompleteConditions(model, entity) : [];
  return (
    <div>
      {model ? (
        <>
          {model.conditions.length > 1 ? (
            <ChoiceGroup
              label={strings.FilterJoin}
              selectedKey={model.join}
              options={[
                { key: 'and', text: strings.FilterAnd },
                { key: 'or', text: strings.FilterOr },
              ]}
              onChange={(_, o) => o && edit({ ...model, join: o.key === 'or' ? 'or' : 'and' })}
            />
          ) : null}
          {model.conditions.map((c, i) => {
            const n = i + 1;
            const field = fields.find((f) => f.name === c.field);
            const set = (patch: Partial<typeof c>): void => edit({ ...model, conditions: model.conditions.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
            const literal = field && c.value !== '' ? literalFor(field, c.value) : undefined;
            return (
              <div key={i} className={classes.condition} role="group" aria-label={format(strings.FilterField, n)}>
                <div className={classes.full}>
                  <Dropdown
                    label={format(strings.FilterField, n)}
                    options={fields.map((f) => ({ key: f.name, text: `${f.name} (${f.type})` }))}
                    selectedKey={c.field || null}
                    onChange={(_, o) => {
                      if (!o) return;
                      const next = fields.find((f) => f.name === o.key);
                      const ops = operatorsFor(next);
                      set({ field: String(o.key), operator: ops.indexOf(c.operator) >= 0 ? c.operator : 'eq' });
                    }}
                  />
                </div>
                <div className={classes.full}>
                  <Dropdown
                    label={format(strings.FilterOperator, n)}
                    options={operatorsFor(field).map((op) => ({ key: op, text: operatorLabel(op) }))}
                    selectedKey={c.operator}
                    onChange={(_, o) => o && set({ operator: o.key as FilterOperator })}
                  />
                </div>
                <div className={classes.full}>
                  <TextField
                    label={format(strings.FilterValue, n)}
                    value={c.value}
                    onChange={(_, v) => set({ value: v ?? '' })}
                    errorMessage={literal && !literal.ok ? format(strings.ValueExpected, valueHint[literal.reason] ?? literal.reason) : undefined}
                  />
                </div>
                <IconButton
                  iconProps={{ iconName: 'Delete' }}
                  ariaLabel={format(strings.FilterRemove, n)}
                  title={format(strings.FilterRemove, n)}
                  onClick={() => edit({ ...model, conditions: model.conditions.filter((_, k) => k !== i) })}
                />
              </div>
            );
          })}
          {incomplete.length > 0 ? <MessageBar messageBarType={MessageBarType.info}>{format(strings.FilterIncomplete, incomplete.map((i) => i + 1).join(', '))}</MessageBar> : null}
          <ActionButton iconProps={{ iconName: 'Add' }} disabled={!entity} onClick={() => setModel({ ...model, conditions: [...model.conditions, { field: '', operator: 'eq', value: '' }] })}>
            {strings.FilterAdd}
          </ActionButton>
        </>
      ) : (
        <MessageBar messageBarType={MessageBarType.info}>{strings.FilterCustom}</MessageBar>
      )}
      <TextField
        label={strings.FilterRaw}
        multiline
        autoAdjustHeight
        value={props.filter}
        spellCheck={false}
        onChange={(_, v) => {
          const text = v ?? '';
          props.setFilter(text);
          setModel(parseFilter(text));
        }}
        errorMessage={errorFor(props.problems, 'source.filter')}
        styles={{ field: { fontFamily: 'Consolas, monospace' } }}
      />
    </div>
  );
}
