import * as React from 'react';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'ProfileEditorStrings';
import type { CrmFieldInfo, ExactEntityInfo, ProfileEntry, ProfileProblem, ValidProfileEntry } from '../../../../sync';
import type { ImportProfilesService } from '../../../../sync/service';
import { useServices } from '../../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { Section } from '../../../../ui/components/Section';
import { format } from '../../../../ui/format';
import { useAsync } from '../../../../ui/useAsync';
import { draftFromEntry, knownTargetLists, newDraft, toProfileInput, type ProfileDraft } from './draft';
import { FilterFields } from './FilterFields';
import { FoldingSection } from './FoldingSection';
import { GeneralFields, KeyFields } from './GeneralFields';
import { localChecks } from './localChecks';
import { MappingGrid } from './MappingGrid';
import { MatchingFields } from './MatchingFields';
import { issuesText, mergeProblems, signalLabel, type EditorProblem } from './problemText';
import { suggestKey, suggestMappings } from './suggest';
import { ProblemSummary, SaveBar } from './SaveBar';
import { ScheduleSection } from './ScheduleSection';
import { useListColumns } from './useListColumns';

export interface ProfileEditorProps {
  /** The stored entry to edit (valid or invalid); undefined = a new profile. */
  entry?: import('../../../../sync/ports').ProfileEntry;
  /** Called after a successful save (Save or Save as new) with what the store now holds. */
  onSaved: (entry: import('../../../../sync/ports').ValidProfileEntry) => void;
  onCancel: () => void;
}

const CHECK_DELAY_MS = 400;
const NEW_PROFILE_ID = 'new-profile';

const classes = mergeStyleSets({
  page: { display: 'flex', flexDirection: 'column', gap: 16, maxWidth: 1100, minWidth: 0 },
  help: { margin: '0 0 12px' },
});

interface Loaded {
  importProfiles: ImportProfilesService;
  divisions: Array<{ code: number; description: string }>;
  defaultDivision?: number;
  entities: ExactEntityInfo[];
}

/** The import-profile editor: one profile, checked as it is typed, saved with its ETag. */
export function ProfileEditor(props: ProfileEditorProps): React.ReactElement {
  const services = useServices();
  const loaded = useAsync(async (): Promise<Loaded> => {
    const importProfiles = await services.sync();
    // Without a connection the divisions are unknown; the stored one is still shown.
    const status = await services.connection.status().catch(() => undefined);
    return { importProfiles, divisions: status?.divisions ?? [], defaultDivision: status?.division ?? undefined, entities: importProfiles.entities() };
  }, [services]);
  if (loaded.state.status === 'loading') return <Spinner size={SpinnerSize.large} label={strings.Loading} />;
  if (loaded.state.status === 'failed') return <ProblemMessage error={loaded.state.error} onRetry={loaded.reload} lead={strings.LoadFailed} />;
  return <Editor {...props} loaded={loaded.state.value} />;
}

function Editor(props: ProfileEditorProps & { loaded: Loaded }): React.ReactElement {
  const { importProfiles, divisions, entities } = props.loaded;
  const services = useServices();
  const [entry, setEntry] = React.useState<ProfileEntry | undefined>(props.entry);
  const [draft, setDraft] = React.useState<ProfileDraft>(() => (props.entry ? draftFromEntry(props.entry) : newDraft(props.loaded.defaultDivision)));
  // Bumped on reload so the filter builder and other local state start over from the stored version.
  const [generation, setGeneration] = React.useState(0);
  // A stored profile shows all its problems at once; a new one only those of the parts touched, until Save.
  const [shown, setShown] = React.useState<{ all: boolean; parts: ReadonlySet<string> }>({ all: props.entry !== undefined, parts: new Set() });
  const [dirty, setDirty] = React.useState(false);
  const change = React.useCallback((patch: Partial<ProfileDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setDirty(true);
    setShown((s) => (s.all ? s : { all: false, parts: new Set([...s.parts, ...Object.keys(patch).map(partOf)]) }));
  }, []);
  const revealAll = (): void => {
    setShown({ all: true, parts: new Set() });
  };

  const entity = entities.find((e) => e.name === draft.entity);
  const lookupLists = draft.mappings.filter((m) => m.kind === 'lookup' && m.lookupList !== '').map((m) => m.lookupList);
  const columns = useListColumns(importProfiles, [draft.targetList, ...lookupLists]);
  const target = columns.get(draft.targetList);
  const targetColumns: CrmFieldInfo[] | undefined = target?.status === 'ready' ? target.fields : undefined;

  // A new profile gets its id from its title when first saved; until then a stand-in lets the service check the rest.
  const input = React.useMemo(() => ({ ...toProfileInput(draft), id: draft.id || NEW_PROFILE_ID }), [draft]);
  const inputText = JSON.stringify(input);
  const [checked, setChecked] = React.useState<{ for: string; problems: ProfileProblem[] } | { for: string; error: unknown } | undefined>();
  React.useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      importProfiles.profiles.check(JSON.parse(inputText)).then(
        (problems) => current && setChecked({ for: inputText, problems }),
        (error: unknown) => current && setChecked({ for: inputText, error }),
      );
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [importProfiles, inputText]);

  const local = localChecks(draft, { entity, columns: targetColumns });
  const serverProblems = checked && checked.for === inputText && 'problems' in checked ? checked.problems : [];
  const allProblems = mergeProblems(local, serverProblems);
  const problems = shown.all ? allProblems : allProblems.filter((p) => shown.parts.has(rootPart(p.path)));
  const suggestions = suggestMappings({ draft, entity, columns: targetColumns });
  // The key pair starts as suggested once the list's columns are known; the admin can change it.
  const keySuggestion = suggestKey(entity, targetColumns);
  React.useEffect(() => {
    if (draft.keyCrmField === '' && keySuggestion.crmField) setDraft((d) => (d.keyCrmField === '' ? { ...d, keyCrmField: keySuggestion.crmField ?? '' } : d));
  }, [draft.keyCrmField, keySuggestion.crmField]);
  const checking = !checked || checked.for !== inputText;
  const checkError = checked && checked.for === inputText && 'error' in checked ? checked.error : undefined;

  const lists = Array.from(new Set([...knownTargetLists(), ...(draft.targetList ? [draft.targetList] : [])]));
  const saved = (next: ValidProfileEntry): void => {
    setEntry(next);
    setDirty(false);
    setDraft(draftFromEntry(next));
    props.onSaved(next);
  };
  const reloaded = (next: ProfileEntry | undefined): void => {
    setEntry(next);
    if (next) setDraft(draftFromEntry(next));
    setDirty(false);
    setGeneration((g) => g + 1);
  };

  const invalid = entry && !entry.valid ? entry : undefined;
  return (
    <div className={classes.page}>
      <div>
        <Text as="h1" variant="xLarge" block styles={{ root: { margin: '0 0 4px', fontWeight: 600 } }}>
          {entry ? strings.EditTitle : strings.NewTitle}
          {entry ? `: ${entry.title}` : ''}
        </Text>
        <Text as="p" block styles={{ root: { margin: 0 } }}>
          {strings.Intro}
        </Text>
      </div>
      {invalid ? (
        <MessageBar messageBarType={MessageBarType.severeWarning} isMultiline>
          {format(strings.InvalidStored, issuesText(invalid.issues))}
        </MessageBar>
      ) : null}
      <Section id="profile-general" title={strings.SectionGeneral}>
        <GeneralFields draft={draft} change={change} problems={problems} divisions={divisions} entities={entities} lists={lists} entity={entity} columns={targetColumns} />
        {target?.status === 'failed' ? <ProblemMessage error={target.error} lead={format(strings.ColumnsFailed, draft.targetList)} /> : null}
      </Section>
      <Section id="profile-key" title={strings.SectionKey}>
        <Text as="p" block className={classes.help}>
          {strings.KeyHelp}
        </Text>
        <KeyFields draft={draft} change={change} problems={problems} entity={entity} columns={targetColumns} />
      </Section>
      <Section id="profile-mapping" title={strings.SectionMapping}>
        <Text as="p" block className={classes.help}>
          {strings.MappingHelp}
        </Text>
        {targetColumns ? (
          <MappingGrid
            draft={draft}
            setMappings={(mappings) => change({ mappings })}
            problems={problems}
            entity={entity}
            columns={targetColumns}
            suggestions={suggestions}
            columnsOf={(list) => {
              const c = columns.get(list);
              return c?.status === 'ready' ? c.fields : undefined;
            }}
          />
        ) : target?.status === 'loading' ? (
          <Spinner label={strings.Loading} />
        ) : null}
      </Section>
      <FoldingSection id="profile-matching" title={strings.SectionMatching} summary={matchingSummary(draft)} forceOpen={hasProblemAt(problems, 'matching')}>
        <Text as="p" block className={classes.help}>
          {strings.MatchingHelp}
        </Text>
        <MatchingFields rules={draft.matching} setRules={(matching) => change({ matching })} problems={problems} entity={entity} columns={targetColumns} />
      </FoldingSection>
      <FoldingSection
        id="profile-filter"
        title={strings.SectionFilter}
        summary={draft.filter.trim() === '' ? strings.FilterSummaryNone : format(strings.FilterSummary, draft.filter.trim())}
        forceOpen={hasProblemAt(problems, 'source.filter')}
      >
        <Text as="p" block className={classes.help}>
          {strings.FilterHelp}
        </Text>
        <FilterFields key={`${draft.entity}-${generation}`} filter={draft.filter} setFilter={(filter) => change({ filter })} entity={entity} problems={problems} />
      </FoldingSection>
      <ScheduleSection profile={entry?.valid ? { id: entry.id, name: entry.title, entity: entry.profile.source.entity, division: entry.profile.division } : undefined} />
      <ProblemSummary problems={problems} hidden={allProblems.length - problems.length} draft={draft} checking={checking} checkError={checkError ? services.explain(checkError).message : undefined} />
      <SaveBar
        profiles={importProfiles.profiles}
        entry={entry}
        draft={draft}
        input={input}
        problems={allProblems}
        revealed={shown.all}
        onReveal={revealAll}
        dirty={dirty}
        checking={checking}
        onSaved={saved}
        onReloaded={reloaded}
        onCancel={props.onCancel}
        divisions={divisions}
      />
    </div>
  );
}

/** The part of the profile an edit of a draft field touches, as problem paths start (`key.crmField` -> `key`). */
const PARTS: Partial<Record<keyof ProfileDraft, string>> = { entity: 'source', filter: 'source', keyCrmField: 'key', keyExactField: 'key' };
const partOf = (field: string): string => PARTS[field as keyof ProfileDraft] ?? field;
const rootPart = (path: string): string => /^[^.[]*/.exec(path)?.[0] ?? path;

const hasProblemAt = (problems: readonly EditorProblem[], path: string): boolean => problems.some((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`));

function matchingSummary(draft: ProfileDraft): string {
  const on = draft.matching.filter((r) => r.enabled);
  return on.length === 0 ? strings.MatchingSummaryOff : format(strings.MatchingSummaryOn, on.length, on.map((r) => signalLabel(r.signal)).join(', '));
}
