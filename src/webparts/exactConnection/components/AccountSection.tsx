import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Dropdown, type IDropdownOption } from '@fluentui/react/lib/Dropdown';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'ExactConnectionWebPartStrings';
import type { ConnectionStatus } from '../../../services/types';
import { useConnector } from '../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { Section } from '../../../ui/components/Section';
import { divisionLabel, exactDivision } from '../../../finance/divisions';
import { format, formatDate } from '../../../ui/format';
import { DetailList } from './DetailList';
import { FinancialYearSection } from './FinancialYearSection';

const classes = mergeStyleSets({
  stack: { display: 'flex', flexDirection: 'column', gap: 16 },
});

export function AccountSection(props: { status: ConnectionStatus; onUpdated: (status: ConnectionStatus, message?: string) => void }): React.ReactElement {
  const { services, locale } = useConnector();
  const { status } = props;
  const [error, setError] = React.useState<unknown>();
  const [saving, setSaving] = React.useState<'division' | 'year' | undefined>();

  const divisions: IDropdownOption[] = (status.divisions ?? []).map((d) => ({ key: d.code, text: `${d.description} (${d.code})` }));
  // A new default changes where panels and creates look: asked first, saved only when confirmed.
  const [pending, setPending] = React.useState<number | undefined>();
  const nameOf = (code: number | null | undefined): string => (code ? divisionLabel(exactDivision(status, code)) : '');
  const chooseDivision = (_: unknown, option?: IDropdownOption): void => {
    if (!option) return;
    const code = Number(option.key);
    setError(undefined);
    if (!status.division) saveDivision(code);
    else setPending(code === status.division ? undefined : code);
  };
  const saveDivision = (code: number): void => {
    setSaving('division');
    setError(undefined);
    services.connection.chooseDivision(code).then(
      (next) => {
        setSaving(undefined);
        setPending(undefined);
        props.onUpdated(next, format(strings.DivisionSavedTo, nameOf(code)));
      },
      (e: unknown) => {
        setSaving(undefined);
        setError(e);
      },
    );
  };

  const saveYear = (settings: { monthDay: string; division: number }): void => {
    setSaving('year');
    setError(undefined);
    const name = divisionLabel(exactDivision(status, settings.division));
    services.connection.saveFinancialYearStart(settings).then(
      (next) => {
        setSaving(undefined);
        props.onUpdated(next, format(strings.FinancialYearConfirmed, name));
      },
      (e: unknown) => {
        setSaving(undefined);
        setError(e);
      },
    );
  };

  return (
    <Section id="exact-account" title={strings.AccountTitle}>
      <div className={classes.stack}>
        {error ? <ProblemMessage error={error} /> : null}
        <DetailList
          items={[
            [strings.ExactUser, status.exactUser ? `${status.exactUser.fullName} (${status.exactUser.userName})` : ''],
            [strings.Region, (status.region ?? '').toUpperCase()],
            [strings.ConnectedSince, status.connectedAt ? formatDate(status.connectedAt, locale, true) : ''],
            [strings.Divisions, String(status.divisions?.length ?? 0)],
          ]}
        />
        <Dropdown
          label={strings.DefaultDivision}
          placeholder={strings.ChooseDivision}
          options={divisions}
          selectedKey={pending ?? status.division ?? null}
          onChange={chooseDivision}
          disabled={saving === 'division'}
          required
        />
        {pending !== undefined ? (
          <MessageBar
            messageBarType={MessageBarType.warning}
            isMultiline
            data-testid="division-change"
            actions={
              <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
                <PrimaryButton text={strings.DivisionChangeConfirm} onClick={() => saveDivision(pending)} disabled={saving === 'division'} />
                <DefaultButton text={format(strings.DivisionChangeCancel, nameOf(status.division))} onClick={() => setPending(undefined)} disabled={saving === 'division'} />
              </div>
            }
          >
            <strong>{format(strings.DivisionChangeTitle, nameOf(pending))}</strong> {format(strings.DivisionChangeText, nameOf(pending), nameOf(status.division))}
          </MessageBar>
        ) : null}
        <Text variant="small" block>
          {strings.DefaultDivisionHelp}
        </Text>
        <FinancialYearSection status={status} onSave={saveYear} saving={saving === 'year'} />
      </div>
    </Section>
  );
}
