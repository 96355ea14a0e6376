import * as React from 'react';
import { Dropdown, type IDropdownOption } from '@fluentui/react/lib/Dropdown';
import { PrimaryButton } from '@fluentui/react/lib/Button';
import { TextField } from '@fluentui/react/lib/TextField';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'ExactConnectionWebPartStrings';
import type { ConnectionStatus } from '../../../services/types';
import { useConnector } from '../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { Section } from '../../../ui/components/Section';
import { format, formatDate, monthNames } from '../../../ui/format';
import { DetailList } from './DetailList';

const classes = mergeStyleSets({
  stack: { display: 'flex', flexDirection: 'column', gap: 16 },
  row: { display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'flex-end' },
  month: { flex: '1 1 160px', minWidth: 0 },
  day: { flex: '0 0 96px' },
  subheading: { margin: '8px 0 4px', fontWeight: 600 },
});

const daysIn = (month: number): number => [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;

export function AccountSection(props: { status: ConnectionStatus; onUpdated: (status: ConnectionStatus, message?: string) => void }): React.ReactElement {
  const { services, locale } = useConnector();
  const { status } = props;
  const [error, setError] = React.useState<unknown>();
  const [saving, setSaving] = React.useState<'division' | 'year' | undefined>();

  const divisions: IDropdownOption[] = (status.divisions ?? []).map((d) => ({ key: d.code, text: `${d.description} (${d.code})` }));
  const chooseDivision = (_: unknown, option?: IDropdownOption): void => {
    if (!option || option.key === status.division) return;
    setSaving('division');
    setError(undefined);
    services.connection.chooseDivision(Number(option.key)).then(
      (next) => {
        setSaving(undefined);
        props.onUpdated(next, strings.DivisionSaved);
      },
      (e: unknown) => {
        setSaving(undefined);
        setError(e);
      },
    );
  };

  const [storedMonth, storedDay] = (status.financialYearStart ?? '01-01').split('-').map(Number);
  const [month, setMonth] = React.useState(storedMonth || 1);
  const [day, setDay] = React.useState(String(storedDay || 1));
  const dayNumber = Number(day);
  const dayValid = Number.isInteger(dayNumber) && dayNumber >= 1 && dayNumber <= daysIn(month);
  const months: IDropdownOption[] = monthNames(locale).map((name, i) => ({ key: i + 1, text: name }));
  const saveYear = (): void => {
    if (!dayValid) return;
    setSaving('year');
    setError(undefined);
    const monthDay = `${String(month).padStart(2, '0')}-${String(dayNumber).padStart(2, '0')}`;
    services.connection.saveFinancialYearStart(monthDay).then(
      (next) => {
        setSaving(undefined);
        props.onUpdated(next, strings.FinancialYearConfirmed);
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
          selectedKey={status.division ?? null}
          onChange={chooseDivision}
          disabled={saving === 'division'}
          required
        />
        <Text variant="small" block>
          {strings.DefaultDivisionHelp}
        </Text>
        <div>
          <Text as="h3" variant="mediumPlus" block className={classes.subheading}>
            {strings.FinancialYearTitle}
          </Text>
          <Text as="p" variant="small" block styles={{ root: { margin: '0 0 8px' } }}>
            {strings.FinancialYearHelp}
          </Text>
          {status.financialYearStart ? null : (
            <MessageBar messageBarType={MessageBarType.info} isMultiline>
              {strings.FinancialYearNotConfirmed}
            </MessageBar>
          )}
          <div className={classes.row}>
            <Dropdown className={classes.month} label={strings.FinancialYearMonth} options={months} selectedKey={month} onChange={(_, o) => o && setMonth(Number(o.key))} />
            <TextField
              className={classes.day}
              label={strings.FinancialYearDay}
              type="number"
              min={1}
              max={daysIn(month)}
              value={day}
              onChange={(_, v) => setDay(v ?? '')}
              errorMessage={dayValid ? undefined : format(strings.FinancialYearInvalidDay, daysIn(month))}
            />
            <PrimaryButton text={strings.FinancialYearConfirm} onClick={saveYear} disabled={!dayValid || saving === 'year'} />
          </div>
        </div>
      </div>
    </Section>
  );
}
