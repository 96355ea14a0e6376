import * as React from 'react';
import { ActionButton } from '@fluentui/react/lib/Button';
import { ChoiceGroup } from '@fluentui/react/lib/ChoiceGroup';
import { Dropdown } from '@fluentui/react/lib/Dropdown';
import { TextField } from '@fluentui/react/lib/TextField';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'ProfileEditorStrings';
import type { CrmFieldInfo, ExactFieldInfo } from '../../../../sync';
import { format } from '../../../../ui/format';
import type { MappingDraft } from './draft';
import { errorFor } from './FieldProblems';
import { withCurrent } from './GeneralFields';
import type { EditorProblem } from './problemText';

const classes = mergeStyleSets({
  options: { display: 'grid', gap: 8, gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 220px), 1fr))', marginTop: 4 },
});

export interface TransformOptionsProps {
  mapping: MappingDraft;
  column: CrmFieldInfo;
  /** The column's title, for the controls' labels. */
  name: string;
  fields: ExactFieldInfo[];
  problems: readonly EditorProblem[];
  path: string;
  columnsOf: (list: string) => CrmFieldInfo[] | undefined;
  onChange: (next: MappingDraft) => void;
}

/** The settings a transform has beyond its source field (format, decimals, values, joined fields, linked list). */
export function TransformOptions(props: TransformOptionsProps): React.ReactElement | null {
  const { mapping: m, name, onChange } = props;
  const label = (text: string): string => `${name}: ${text}`;
  const err = (sub: string): string | undefined => errorFor(props.problems, `${props.path}.transform.${sub}`);
  const fieldOptions = props.fields.map((f) => ({ key: f.name, text: f.name }));
  switch (m.kind) {
    case 'date':
      return (
        <div className={classes.options}>
          <TextField label={strings.TransformFormat} ariaLabel={label(strings.TransformFormat)} value={m.format} placeholder="dd-MM-yyyy" onChange={(_, v) => onChange({ ...m, format: v ?? '' })} />
        </div>
      );
    case 'number':
      return (
        <div className={classes.options}>
          <TextField label={strings.TransformDecimals} ariaLabel={label(strings.TransformDecimals)} value={m.decimals} inputMode="numeric" onChange={(_, v) => onChange({ ...m, decimals: v ?? '' })} errorMessage={err('decimals')} />
        </div>
      );
    case 'constant':
      return (
        <div className={classes.options}>
          <TextField label={strings.TransformConstantLabel} ariaLabel={label(strings.TransformConstantLabel)} value={m.value} onChange={(_, v) => onChange({ ...m, value: v ?? '' })} />
        </div>
      );
    case 'valueMap':
      return (
        <div className={classes.options}>
          <TextField
            label={strings.TransformValueMapLabel}
            ariaLabel={label(strings.TransformValueMapLabel)}
            multiline
            autoAdjustHeight
            value={m.valueMap}
            onChange={(_, v) => onChange({ ...m, valueMap: v ?? '' })}
            errorMessage={err('map')}
          />
          <TextField label={strings.TransformDefault} ariaLabel={label(strings.TransformDefault)} value={m.value} onChange={(_, v) => onChange({ ...m, value: v ?? '' })} />
        </div>
      );
    case 'concat':
      return (
        <div className={classes.options}>
          {m.sources.slice(1).map((source, i) => (
            <Dropdown
              key={i}
              label={`${strings.TransformSources} ${i + 1}`}
              ariaLabel={label(`${strings.TransformSources} ${i + 1}`)}
              options={withCurrent([{ key: '', text: strings.NotMapped }, ...fieldOptions], source, (v) => v)}
              selectedKey={source}
              onChange={(_, o) => {
                if (!o) return;
                const sources = m.sources.slice();
                if (o.key === '') sources.splice(i + 1, 1);
                else sources[i + 1] = String(o.key);
                onChange({ ...m, sources });
              }}
            />
          ))}
          <TextField label={strings.TransformSeparator} ariaLabel={label(strings.TransformSeparator)} value={m.separator} onChange={(_, v) => onChange({ ...m, separator: v ?? '' })} />
          <ActionButton iconProps={{ iconName: 'Add' }} ariaLabel={label(strings.TransformAddSource)} onClick={() => onChange({ ...m, sources: [...m.sources, ''] })}>
            {strings.TransformAddSource}
          </ActionButton>
        </div>
      );
    case 'lookup': {
      const keyColumns = props.columnsOf(m.lookupList) ?? [];
      return (
        <div className={classes.options}>
          <TextField label={strings.LookupList} ariaLabel={label(strings.LookupList)} value={m.lookupList} onChange={(_, v) => onChange({ ...m, lookupList: v ?? '' })} errorMessage={err('list')} />
          <Dropdown
            label={strings.LookupKey}
            ariaLabel={label(strings.LookupKey)}
            options={withCurrent(keyColumns.map((c) => ({ key: c.internalName, text: `${c.title} (${c.internalName})` })), m.lookupKeyField, (v) => v)}
            selectedKey={m.lookupKeyField || null}
            onChange={(_, o) => o && onChange({ ...m, lookupKeyField: String(o.key) })}
            errorMessage={err('keyField')}
          />
          <ChoiceGroup
            label={strings.LookupMissing}
            selectedKey={m.onMissing}
            options={[
              { key: 'error', text: strings.LookupMissingError },
              { key: 'empty', text: strings.LookupMissingEmpty },
            ]}
            onChange={(_, o) => o && onChange({ ...m, onMissing: o.key === 'empty' ? 'empty' : 'error' })}
          />
          {m.lookupKeyField ? (
            <Text block variant="small">
              {format(strings.LookupCompanyHint, m.lookupKeyField)}
            </Text>
          ) : null}
        </div>
      );
    }
    default:
      return null;
  }
}
