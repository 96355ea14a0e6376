import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Dialog, DialogFooter, DialogType } from '@fluentui/react/lib/Dialog';
import { Dropdown, type IDropdownOption } from '@fluentui/react/lib/Dropdown';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'ImportProfilesWebPartStrings';
import * as common from 'CommonStrings';
import type { Profile } from '../../../sync/profile/profile';
import { profileLanguage } from '../../../sync/profile/defaults';
import { useConnector } from '../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { format, inSentence } from '../../../ui/format';
import { divisionLabel } from './divisions';
import type { PageData } from './pageData';
import { masterSources, type MasterSourceId } from '../../../sync/profile/masterSources';
import { readNote, sourceName } from './sourceNames';

/** The Companies and Contacts pair, or one master-data source. */
type Choice = 'crm' | MasterSourceId;

/** What one "add default profiles" did: the profiles added, and the lists that kept the profile they had. */
export interface DefaultsAdded {
  division: number;
  profiles: Profile[];
  kept: string[];
}

/** The lists that already have a profile importing from `division`. */
export function listsWithProfiles(data: Pick<PageData, 'entries'>, division: number): string[] {
  return Array.from(new Set(data.entries.flatMap((e) => (e.valid && e.profile.division === division ? [e.profile.targetList] : [])))).sort();
}

/**
 * Picks a division of the connection and what to import, and adds the shipped profiles for it in
 * one step: Companies and Contacts, or one master-data source (items, VAT codes, projects, …),
 * whose list is created when missing. Says for the chosen division which lists already import
 * from it: those keep theirs.
 */
export function AddDefaultsDialog(props: { data: PageData; initial?: number; onDismiss: () => void; onAdded: (result: DefaultsAdded) => void }): React.ReactElement {
  const { data } = props;
  const [division, setDivision] = React.useState<number | undefined>(props.initial ?? data.divisions.find((d) => listsWithProfiles(data, d.code).length === 0)?.code);
  const [choice, setChoice] = React.useState<Choice>('crm');
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<unknown>();
  const { locale } = useConnector();
  // The division alone: at 320 px a longer text is cut off; what it already has is said below.
  const options: IDropdownOption[] = data.divisions.map((d) => ({ key: d.code, text: divisionLabel(d.code, data.divisions) }));
  const chosen = data.divisions.find((d) => d.code === division);
  const source = masterSources.find((s) => s.id === choice);
  const sourceOptions: IDropdownOption[] = [
    { key: 'crm', text: strings.SourceCrm },
    ...masterSources.map((s) => ({ key: s.id, text: sourceName(s.id) })),
  ];
  const add = (): void => {
    if (!chosen) return;
    const existing = listsWithProfiles(data, chosen.code);
    const kept = source ? existing.filter((list) => list === source.targetList) : existing;
    setBusy(true);
    setError(undefined);
    const other = chosen.code === data.defaultDivision ? undefined : { divisionName: chosen.description };
    const adding = source
      ? data.importProfiles.profiles.addSourceDefault(source.id, chosen.code, other)
      : data.importProfiles.profiles.addDefaultsForDivision(chosen.code, chosen.description, profileLanguage(locale));
    adding.then(
      (profiles) => {
        setBusy(false);
        props.onAdded({ division: chosen.code, profiles, kept });
      },
      (e: unknown) => {
        setBusy(false);
        setError(e);
      },
    );
  };
  return (
    <Dialog
      hidden={false}
      onDismiss={busy ? undefined : props.onDismiss}
      dialogContentProps={{ type: DialogType.normal, title: strings.AddDefaultsTitle, subText: source ? format(strings.AddSourceText, inSentence(sourceName(source.id)), source.targetList) : strings.AddDefaultsText }}
      modalProps={{ isBlocking: busy }}
      minWidth={0}
      maxWidth={560}
    >
      <Dropdown
        label={strings.ColumnDivision}
        required
        options={options}
        selectedKey={division ?? null}
        onChange={(_, o) => o && setDivision(Number(o.key))}
        disabled={busy}
      />
      <Dropdown
        label={strings.AddDefaultsSource}
        required
        options={sourceOptions}
        selectedKey={choice}
        onChange={(_, o) => o && setChoice(o.key as Choice)}
        disabled={busy}
        styles={{ root: { marginTop: 8 } }}
      />
      {source ? (
        <Text block variant="small" styles={{ root: { marginTop: 8 } }} data-testid="source-read-note">
          {readNote(source)}
        </Text>
      ) : null}
      {chosen && !source && listsWithProfiles(data, chosen.code).length > 0 ? (
        <Text block variant="small" styles={{ root: { marginTop: 8 } }}>
          {format(strings.AddDefaultsKeeps, listsWithProfiles(data, chosen.code).join(', '))}
        </Text>
      ) : null}
      {error ? <ProblemMessage error={error} /> : null}
      <DialogFooter>
        {busy ? <Spinner size={SpinnerSize.small} label={strings.AddDefaultsBusy} labelPosition="right" /> : null}
        <PrimaryButton text={strings.AddDefaultsButton} onClick={add} disabled={busy || !chosen} />
        <DefaultButton text={common.Cancel} onClick={props.onDismiss} disabled={busy} />
      </DialogFooter>
    </Dialog>
  );
}
