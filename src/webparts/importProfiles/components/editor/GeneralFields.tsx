import * as React from 'react';
import { ChoiceGroup, type IChoiceGroupOption } from '@fluentui/react/lib/ChoiceGroup';
import { Dropdown, type IDropdownOption } from '@fluentui/react/lib/Dropdown';
import { TextField } from '@fluentui/react/lib/TextField';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'ProfileEditorStrings';
import type { CrmFieldInfo, ExactEntityInfo, SyncMode } from '../../../../sync';
import { format } from '../../../../ui/format';
import { shippedKeyColumn, SYNC_MODES, type ProfileDraft } from './draft';
import { errorFor } from './FieldProblems';
import { entityLabel } from '../entityNames';
import type { EditorProblem } from './problemText';

const classes = mergeStyleSets({
  grid: { display: 'grid', gap: 12, gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 260px), 1fr))', alignItems: 'start' },
});

export interface GeneralFieldsProps {
  draft: ProfileDraft;
  change: (patch: Partial<ProfileDraft>) => void;
  problems: readonly EditorProblem[];
  divisions: Array<{ code: number; description: string }>;
  entities: ExactEntityInfo[];
  lists: string[];
  entity?: ExactEntityInfo;
  columns?: CrmFieldInfo[];
}

const modeText: Record<SyncMode, [string, string]> = {
  Import: [strings.ModeImport, strings.ModeImportHelp],
  ImportAndUpdate: [strings.ModeImportAndUpdate, strings.ModeImportAndUpdateHelp],
  Update: [strings.ModeUpdate, strings.ModeUpdateHelp],
};

/** Keeps a stored value selectable even when the catalog or list no longer has it, so it can be seen and fixed. */
export function withCurrent(options: IDropdownOption[], current: string | number | undefined, label: (v: string) => string): IDropdownOption[] {
  if (current === undefined || current === '' || options.some((o) => o.key === current)) return options;
  return [...options, { key: current, text: label(String(current)) }];
}

/** Title, division, source, target list and mode. */
export function GeneralFields(props: GeneralFieldsProps): React.ReactElement {
  const { draft, change, problems } = props;
  const divisionOptions = withCurrent(
    props.divisions.map((d) => ({ key: d.code, text: `${d.code} ${d.description}` })),
    draft.division,
    (v) => format(strings.DivisionUnknown, v),
  );
  const entityOptions = withCurrent(
    props.entities.map((e) => ({ key: e.name, text: entityLabel(e.name) })),
    draft.entity,
    (v) => v,
  );
  const listOptions = withCurrent(
    props.lists.map((l) => ({ key: l, text: l })),
    draft.targetList,
    (v) => v,
  );
  const modes: IChoiceGroupOption[] = SYNC_MODES.map((mode) => ({
    key: mode,
    text: modeText[mode][0],
    onRenderField: (option, render) => (
      <div>
        {render ? render(option) : null}
        <div style={{ paddingLeft: 26, fontSize: 12 }}>{modeText[mode][1]}</div>
      </div>
    ),
  }));
  return (
    <div className={classes.grid}>
      <TextField label={strings.FieldTitle} required value={draft.title} onChange={(_, v) => change({ title: v ?? '' })} errorMessage={errorFor(problems, 'title')} />
      <Dropdown
        label={strings.FieldDivision}
        required
        options={divisionOptions}
        selectedKey={draft.division ?? null}
        onChange={(_, o) => o && change({ division: Number(o.key) })}
        errorMessage={errorFor(problems, 'division')}
        title={strings.DivisionHelp}
      />
      <Dropdown
        label={strings.FieldEntity}
        required
        options={entityOptions}
        selectedKey={draft.entity || null}
        // A new profile starts with the entity's own key and the list's usual key column.
        onChange={(_, o) => o && change({ entity: String(o.key), keyExactField: draft.keyExactField || (props.entities.find((e) => e.name === o.key)?.key ?? '') })}
        errorMessage={errorFor(problems, 'source.entity') ?? errorFor(problems, 'source')}
      />
      <Dropdown
        label={strings.FieldTargetList}
        required
        options={listOptions}
        selectedKey={draft.targetList || null}
        onChange={(_, o) => o && change({ targetList: String(o.key), keyCrmField: draft.keyCrmField || shippedKeyColumn(String(o.key)) })}
        errorMessage={errorFor(problems, 'targetList')}
      />
      <ChoiceGroup label={strings.FieldMode} required options={modes} selectedKey={draft.mode} onChange={(_, o) => o && change({ mode: o.key as SyncMode })} />
    </div>
  );
}

/** The key pair: the Exact field that names a record and the CRM column that keeps it. */
export function KeyFields(props: Pick<GeneralFieldsProps, 'draft' | 'change' | 'problems' | 'entity' | 'columns'>): React.ReactElement {
  const { draft, change, problems } = props;
  return (
    <div className={classes.grid}>
      <Dropdown
        label={strings.KeyExact}
        required
        options={withCurrent((props.entity?.fields ?? []).map((f) => ({ key: f.name, text: `${f.name} (${f.type})` })), draft.keyExactField, (v) => v)}
        selectedKey={draft.keyExactField || null}
        onChange={(_, o) => o && change({ keyExactField: String(o.key) })}
        errorMessage={errorFor(problems, 'key.exactField')}
      />
      <Dropdown
        label={strings.KeyCrm}
        required
        options={withCurrent((props.columns ?? []).map((c) => ({ key: c.internalName, text: `${c.title} (${c.internalName}, ${c.type})` })), draft.keyCrmField, (v) => v)}
        selectedKey={draft.keyCrmField || null}
        onChange={(_, o) => o && change({ keyCrmField: String(o.key) })}
        errorMessage={errorFor(problems, 'key.crmField')}
      />
    </div>
  );
}
