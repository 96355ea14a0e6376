import * as React from 'react';
import { Checkbox } from '@fluentui/react/lib/Checkbox';
import { Dropdown, type IDropdownOption } from '@fluentui/react/lib/Dropdown';
import { IconButton } from '@fluentui/react/lib/Button';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ProfileEditorStrings';
import type { CrmFieldInfo, ExactEntityInfo, ExactFieldInfo } from '../../../../sync';
import { DIVISION_FIELD } from '../../../../sync/model';
import { useConnector } from '../../../../ui/ConnectorContext';
import { format } from '../../../../ui/format';
import { emptyMapping, TRANSFORM_KINDS, type MappingDraft, type ProfileDraft, type TransformKind } from './draft';
import { FieldProblems } from './FieldProblems';
import { withCurrent } from './GeneralFields';
import type { EditorProblem } from './problemText';
import { transformLabel } from './problemText';
import { TransformOptions } from './TransformOptions';
import { lookupOf, startingMapping } from './startingMapping';
import type { Suggestion } from './suggest';
import { fieldCaption } from './exactCaptions';
import { SuggestionBar, SuggestionRow } from './Suggestions';

const NARROW = '@media (max-width: 640px)';
const NOT_MAPPED = '';

export interface MappingGridProps {
  draft: ProfileDraft;
  setMappings: (mappings: MappingDraft[]) => void;
  problems: readonly EditorProblem[];
  entity?: ExactEntityInfo;
  columns: CrmFieldInfo[];
  /** Columns of other lists (for a lookup's key field), by list title. */
  columnsOf: (list: string) => CrmFieldInfo[] | undefined;
  /** The automatic mapping's offers for columns not mapped yet; the admin accepts them. */
  suggestions: readonly Suggestion[];
}

/** "Naam (Name) · string, 50": Exact's caption first, when it has one, then the type. */
export const fieldText = (f: ExactFieldInfo, caption: string = f.name): string =>
  `${caption === f.name ? '' : `${caption} · `}${f.name} (${f.type}${f.maxLength !== undefined ? `, ${f.maxLength}` : ''})`;
export const columnType = (c: CrmFieldInfo): string => `${c.type}${c.maxLength !== undefined ? `, ${c.maxLength}` : ''}${c.choices ? `: ${c.choices.join(' / ')}` : ''}${c.lookupList ? ` → ${c.lookupList}` : ''}`;

/** Every column of the target list, each with the Exact field that fills it; stacks into cards on narrow screens. */
export function MappingGrid(props: MappingGridProps): React.ReactElement {
  const theme = useTheme();
  const { locale } = useConnector();
  const { draft, columns } = props;
  const classes = mergeStyleSets({
    head: {
      display: 'grid',
      gridTemplateColumns: 'minmax(0, 1.1fr) minmax(0, 1.2fr) minmax(0, 1fr) 9.5em 32px',
      gap: 8,
      padding: '0 0 4px',
      borderBottom: `1px solid ${theme.palette.neutralQuaternaryAlt}`,
      fontWeight: 600,
      selectors: { [NARROW]: { display: 'none' } },
    },
    row: {
      display: 'grid',
      gridTemplateColumns: 'minmax(0, 1.1fr) minmax(0, 1.2fr) minmax(0, 1fr) 9.5em 32px',
      gap: 8,
      alignItems: 'start',
      padding: '8px 0',
      borderBottom: `1px solid ${theme.palette.neutralLighter}`,
      selectors: { [NARROW]: { gridTemplateColumns: 'minmax(0, 1fr) 32px', padding: '10px 0' } },
    },
    column: { minWidth: 0, overflowWrap: 'anywhere', selectors: { [NARROW]: { gridColumn: '1 / 2' } } },
    cell: { minWidth: 0, selectors: { [NARROW]: { gridColumn: '1 / -1' } } },
    remove: { selectors: { [NARROW]: { gridColumn: '2 / 3', gridRow: '1 / 2' } } },
    wide: { gridColumn: '1 / -1', minWidth: 0 },
    caption: { display: 'none', fontSize: 12, color: theme.semanticColors.bodySubtext, selectors: { [NARROW]: { display: 'block' } } },
  });
  const fields = props.entity?.fields ?? [];
  const language = /^nl/i.test(locale) ? 'nl' : 'en';
  const entityName = props.entity?.name ?? '';
  const fieldOptions: IDropdownOption[] = [{ key: NOT_MAPPED, text: strings.NotMapped }, ...fields.map((f) => ({ key: f.name, text: fieldText(f, fieldCaption(entityName, f.name, language)) }))];
  const captioned = (field: string): string => {
    const caption = fieldCaption(entityName, field, language);
    return caption === field ? field : `${caption} · ${field}`;
  };
  const suggestionFor = new Map(props.suggestions.map((s) => [s.mapping.target, s] as const));
  const accept = (chosen: readonly Suggestion[]): void => props.setMappings([...draft.mappings, ...chosen.map((s) => s.mapping)]);
  const kindOptions: IDropdownOption[] = TRANSFORM_KINDS.map((k) => ({ key: k, text: transformLabel(k) }));
  const known = new Set(columns.map((c) => c.internalName));
  // Mappings to columns the list does not have stay visible, so they can be fixed or removed.
  const strays: CrmFieldInfo[] = draft.mappings.filter((m) => !known.has(m.target)).map((m) => ({ internalName: m.target, title: format(strings.UnknownColumnRow, m.target || '?'), type: 'text' }));
  // Read-only columns and the division column (every run writes it: a link is division and key) are not the admin's to map.
  const rows = [...columns.filter((c) => (!c.readOnly && c.internalName !== DIVISION_FIELD) || draft.mappings.some((m) => m.target === c.internalName)), ...strays];

  const update = (index: number, next: MappingDraft | undefined): void => {
    const copy = draft.mappings.slice();
    if (next) copy[index] = next;
    else copy.splice(index, 1);
    props.setMappings(copy);
  };

  return (
    <div>
      <SuggestionBar count={props.suggestions.length} onAcceptAll={() => accept(props.suggestions)} />
      <div className={classes.head} aria-hidden="true">
        <span>{strings.ColumnCrm}</span>
        <span>{strings.ColumnExact}</span>
        <span>{strings.ColumnTransform}</span>
        <span>{strings.ColumnKeep}</span>
        <span />
      </div>
      {rows.map((column) => {
        const index = draft.mappings.findIndex((m) => m.target === column.internalName);
        const mapping = index >= 0 ? draft.mappings[index] : undefined;
        // The key column and the division column are the link (division, Exact ID): runs write both.
        const isDivision = column.internalName === DIVISION_FIELD;
        const isKey = column.internalName === draft.keyCrmField || isDivision;
        const name = column.title;
        const rowPath = `mappings[${index}]`;
        return (
          <div key={column.internalName || index} className={classes.row} role="group" aria-label={name} data-column={column.internalName}>
            <div className={classes.column}>
              <Text block styles={{ root: { fontWeight: 600 } }}>
                {name}
              </Text>
              <Text block variant="small" styles={{ root: { color: theme.semanticColors.bodySubtext } }}>
                {`${column.internalName} · ${columnType(column)}`}
              </Text>
              {isKey && !mapping ? (
                <Text block variant="small">
                  {isDivision ? strings.IsDivision : strings.IsKey}
                </Text>
              ) : null}
              {!mapping && suggestionFor.has(column.internalName) ? (
                <SuggestionRow column={name} field={captioned(suggestionFor.get(column.internalName)!.field.name)} onAccept={() => accept([suggestionFor.get(column.internalName)!])} />
              ) : null}
            </div>
            <div className={classes.cell}>
              <span className={classes.caption} aria-hidden="true">
                {strings.ColumnExact}
              </span>
              {mapping?.kind === 'constant' ? (
                <Text block>{transformLabel('constant')}</Text>
              ) : (
                <Dropdown
                  ariaLabel={`${name}: ${strings.ColumnExact}`}
                  options={withCurrent(fieldOptions, mapping?.sources[0], (v) => v)}
                  selectedKey={mapping ? mapping.sources[0] ?? NOT_MAPPED : NOT_MAPPED}
                  disabled={isKey && !mapping}
                  onChange={(_, o) => {
                    if (!o) return;
                    const source = String(o.key);
                    if (source === NOT_MAPPED) {
                      if (mapping) update(index, undefined);
                    } else if (mapping) update(index, { ...mapping, sources: [source, ...mapping.sources.slice(1)] });
                    else props.setMappings([...draft.mappings, startingMapping(column, source)]);
                  }}
                />
              )}
            </div>
            <div className={classes.cell}>
              <span className={classes.caption} aria-hidden="true">
                {strings.ColumnTransform}
              </span>
              <Dropdown
                ariaLabel={`${name}: ${strings.ColumnTransform}`}
                options={kindOptions}
                selectedKey={mapping?.kind ?? null}
                disabled={!mapping && isKey}
                placeholder={strings.NotMapped}
                onChange={(_, o) => {
                  if (!o) return;
                  const kind = o.key as TransformKind;
                  const base = mapping ?? { ...emptyMapping(column.internalName), sources: [] };
                  const next: MappingDraft = { ...base, kind, sources: kind === 'constant' ? [] : base.sources.length > 0 ? base.sources : [''] };
                  if (kind === 'lookup' && next.lookupList === '') Object.assign(next, lookupOf(column));
                  if (mapping) update(index, next);
                  else props.setMappings([...draft.mappings, next]);
                }}
              />
            </div>
            {/* Keep CRM edits means nothing until the column is mapped: left out, the unmapped rows stay short. */}
            <div className={classes.cell}>
              {mapping ? (
                <Checkbox
                  label={strings.ColumnKeep}
                  ariaLabel={`${name}: ${strings.KeepHelp}`}
                  checked={mapping.keepCrmEdits}
                  onChange={(_, checked) => update(index, { ...mapping, keepCrmEdits: checked === true })}
                  styles={{ root: { marginTop: 6 } }}
                />
              ) : null}
            </div>
            <div className={classes.remove}>
              {mapping ? <IconButton iconProps={{ iconName: 'Cancel' }} ariaLabel={format(strings.RemoveMapping, name)} title={format(strings.RemoveMapping, name)} onClick={() => update(index, undefined)} /> : null}
            </div>
            {mapping ? (
              <div className={classes.wide}>
                <TransformOptions mapping={mapping} column={column} name={name} fields={fields} problems={props.problems} path={rowPath} columnsOf={props.columnsOf} onChange={(next) => update(index, next)} />
                <FieldProblems problems={props.problems} path={rowPath} />
              </div>
            ) : null}
          </div>
        );
      })}
      <FieldProblems problems={props.problems} path="mappings" exact />
    </div>
  );
}
