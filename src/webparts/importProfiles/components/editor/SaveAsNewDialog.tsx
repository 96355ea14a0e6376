import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Dialog, DialogFooter, DialogType } from '@fluentui/react/lib/Dialog';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { TextField } from '@fluentui/react/lib/TextField';
import * as strings from 'ProfileEditorStrings';
import type { Profile } from '../../../../sync';
import type { ImportProfilesService } from '../../../../sync/service';
import { format } from '../../../../ui/format';
import { useAsync } from '../../../../ui/useAsync';

export interface SaveAsNewDialogProps {
  profiles: ImportProfilesService['profiles'];
  /** The list and division the new profile would import into and from. */
  targetList: string;
  division?: number;
  divisions: ReadonlyArray<{ code: number; description: string }>;
  /** The name offered to start with. */
  title: string;
  onSave: (title: string) => void;
  onDismiss: () => void;
}


/**
 * Asks the new profile's name and, before anything is saved, says which profiles already import
 * the same list from the same division: a second one would import the same records again.
 */
export function SaveAsNewDialog(props: SaveAsNewDialogProps): React.ReactElement {
  const [title, setTitle] = React.useState(props.title);
  const { profiles, targetList, division } = props;
  // No id is the new profile's: every stored profile of this list and division counts, the opened one too.
  const others = useAsync(
    async (): Promise<Profile[]> => (division === undefined || targetList === '' ? [] : profiles.sameListAndDivision({ id: '', targetList, division })),
    [profiles, targetList, division],
  );
  const same = others.state.status === 'ready' ? others.state.value : [];
  const checking = others.state.status === 'loading';
  return (
    <Dialog
      hidden={false}
      onDismiss={props.onDismiss}
      dialogContentProps={{ type: DialogType.normal, title: strings.SaveAsNewTitle, subText: strings.SaveAsNewText }}
      modalProps={{ isBlocking: false }}
      minWidth={0}
      maxWidth={560}
    >
      <TextField label={strings.SaveAsNewLabel} value={title} onChange={(_, v) => setTitle(v ?? '')} required autoFocus />
      <div aria-live="polite" style={{ marginTop: 12 }}>
        {checking ? <Spinner size={SpinnerSize.small} label={strings.SameListChecking} labelPosition="right" /> : null}
        {same.length > 0 && division !== undefined ? (
          <MessageBar messageBarType={MessageBarType.warning} isMultiline>
            <span data-testid="same-list-and-division">
              {format(strings.SameListAndDivision, same.map((p) => `“${p.title}”`).join(', '), targetList, props.divisions.find((d) => d.code === division)?.description || String(division), division)}
            </span>
          </MessageBar>
        ) : null}
      </div>
      <DialogFooter>
        <PrimaryButton text={same.length > 0 ? strings.SaveAsNewAnyway : strings.SaveAsNewButton} onClick={() => props.onSave(title.trim())} disabled={title.trim() === '' || checking} />
        <DefaultButton text={strings.CancelButton} onClick={props.onDismiss} />
      </DialogFooter>
    </Dialog>
  );
}
