import * as React from 'react';
import { Dropdown, type IDropdownOption } from '@fluentui/react/lib/Dropdown';
import { PrimaryButton } from '@fluentui/react/lib/Button';
import { TextField } from '@fluentui/react/lib/TextField';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ExactConnectionWebPartStrings';
import { divisionLabel, divisionsOf, exactDivision } from '../../../finance/divisions';
import { isMonthDay } from '../../../finance/financialYearStart';
import type { ConnectionStatus } from '../../../services/types';
import { useConnector } from '../../../ui/ConnectorContext';
import { format, monthNames } from '../../../ui/format';

/** The longest each month gets: 29 February is a start of its own (the last day of February, see src/finance). */
const daysIn = (month: number): number => [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;

/** "1 April", "29 February": in a leap year, so every start the form takes can be written. */
function dayAndMonth(monthDay: string, locale: string): string {
  const [month, day] = monthDay.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, (month ?? 1) - 1, day ?? 1));
}

export interface FinancialYearSectionProps {
  status: ConnectionStatus;
  /** The save, as the page runs it (its error and "saved" message are the page's). */
  onSave: (settings: { monthDay: string; division: number }) => void;
  saving: boolean;
}

/**
 * Each division's financial-year start: administrations can close their books on different days.
 * A division without one of its own follows the start confirmed before divisions had theirs.
 */
export function FinancialYearSection(props: FinancialYearSectionProps): React.ReactElement {
  const { locale } = useConnector();
  const theme = useTheme();
  const { status } = props;
  const divisions = divisionsOf(status);
  const [divisionCode, setDivisionCode] = React.useState<number | undefined>(status.division ?? divisions[0]?.code);
  const chosen = divisionCode !== undefined ? exactDivision(status, divisionCode) : undefined;
  const [storedMonth, storedDay] = (chosen?.financialYearStart ?? '01-01').split('-').map(Number);
  const [month, setMonth] = React.useState(storedMonth || 1);
  const [day, setDay] = React.useState(String(storedDay || 1));
  // Choosing another administration shows its own start in the fields.
  React.useEffect(() => {
    setMonth(storedMonth || 1);
    setDay(String(storedDay || 1));
  }, [divisionCode, storedMonth, storedDay]);
  const dayNumber = Number(day);
  const monthDay = `${String(month).padStart(2, '0')}-${String(dayNumber).padStart(2, '0')}`;
  const dayValid = Number.isInteger(dayNumber) && dayNumber >= 1 && dayNumber <= daysIn(month) && isMonthDay(monthDay);
  const unconfirmed = divisions.filter((d) => d.financialYearSource === 'assumed');
  const classes = mergeStyleSets({
    subheading: { margin: '8px 0 4px', fontWeight: 600 },
    list: { listStyle: 'none', margin: '0 0 12px', padding: 0, display: 'flex', flexDirection: 'column', gap: 6 },
    item: { borderLeft: `3px solid ${theme.palette.neutralQuaternaryAlt}`, padding: '2px 0 2px 8px', minWidth: 0 },
    name: { display: 'block', overflowWrap: 'anywhere' },
    start: { display: 'block', fontSize: 12, color: theme.semanticColors.bodySubtext },
    // The day error is under the row, not in it: nothing in the row changes height, so the month box stays put.
    row: { display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'flex-end', marginTop: 8 },
    division: { flex: '1 1 100%', minWidth: 0 },
    month: { flex: '1 1 160px', minWidth: 0 },
    day: { flex: '0 0 96px' },
  });
  const sourceText = (source: string): string => (source === 'assumed' ? ` · ${strings.FinancialYearNotConfirmedShort}` : source === 'connection' ? ` · ${strings.FinancialYearFromAll}` : '');

  return (
    <div>
      <Text as="h3" variant="mediumPlus" block className={classes.subheading}>
        {strings.FinancialYearTitle}
      </Text>
      <Text as="p" variant="small" block styles={{ root: { margin: '0 0 8px' } }}>
        {strings.FinancialYearHelp}
      </Text>
      {unconfirmed.length ? (
        <MessageBar messageBarType={MessageBarType.info} isMultiline data-testid="financial-year-not-confirmed" styles={{ root: { marginBottom: 8 } }}>
          {strings.FinancialYearNotConfirmed}
        </MessageBar>
      ) : null}
      <ul className={classes.list} aria-label={strings.FinancialYearListLabel}>
        {divisions.map((d) => (
          <li key={d.code} className={classes.item} data-testid="financial-year" data-division={d.code} data-start={d.financialYearStart} data-source={d.financialYearSource}>
            <Text className={classes.name}>{divisionLabel(d)}</Text>
            <span className={classes.start}>
              {format(strings.FinancialYearStartsOn, dayAndMonth(d.financialYearStart, locale))}
              {sourceText(d.financialYearSource)}
            </span>
          </li>
        ))}
      </ul>
      <div className={classes.row}>
        {divisions.length > 1 ? (
          <Dropdown
            className={classes.division}
            label={strings.FinancialYearDivision}
            options={divisions.map((d): IDropdownOption => ({ key: d.code, text: divisionLabel(d) }))}
            selectedKey={divisionCode ?? null}
            onChange={(_, o) => o && setDivisionCode(Number(o.key))}
            styles={{ title: { height: 'auto', minHeight: 32, whiteSpace: 'normal', lineHeight: '20px', padding: '5px 28px 5px 8px' } }}
          />
        ) : null}
        <Dropdown
          className={classes.month}
          label={strings.FinancialYearMonth}
          options={monthNames(locale).map((name, i) => ({ key: i + 1, text: name }))}
          selectedKey={month}
          onChange={(_, o) => o && setMonth(Number(o.key))}
        />
        <TextField
          className={classes.day}
          label={strings.FinancialYearDay}
          type="number"
          min={1}
          max={daysIn(month)}
          value={day}
          onChange={(_, v) => setDay(v ?? '')}
          invalid={!dayValid}
          aria-describedby={dayValid ? undefined : 'financial-year-day-error'}
        />
        <PrimaryButton text={strings.FinancialYearConfirm} onClick={() => chosen && props.onSave({ monthDay, division: chosen.code })} disabled={!dayValid || !chosen || props.saving} />
      </div>
      {/* Under the whole row: in the narrow day column it would wrap word by word. */}
      {dayValid ? null : (
        <Text as="p" variant="small" block id="financial-year-day-error" role="alert" data-testid="financial-year-day-error" styles={{ root: { margin: '4px 0 0', color: theme.semanticColors.errorText } }}>
          {format(strings.FinancialYearInvalidDay, daysIn(month))}
        </Text>
      )}
      {month === 2 && dayNumber === 29 ? (
        <Text as="p" variant="small" block styles={{ root: { margin: '8px 0 0' } }} data-testid="leap-day-note">
          {strings.FinancialYearLeapDay}
        </Text>
      ) : null}
    </div>
  );
}
