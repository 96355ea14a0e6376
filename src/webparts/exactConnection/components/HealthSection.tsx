import * as React from 'react';
import { ActionButton } from '@fluentui/react/lib/Button';
import { ProgressIndicator } from '@fluentui/react/lib/ProgressIndicator';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ExactConnectionWebPartStrings';
import * as common from 'CommonStrings';
import type { ConnectionStatus } from '../../../services/types';
import { useConnector } from '../../../ui/ConnectorContext';
import { Section } from '../../../ui/components/Section';
import { format, formatDate, formatNumber, relativeTime } from '../../../ui/format';
import { useNow } from '../../../ui/useNow';
import { BackgroundRunsHealth } from './BackgroundRunsHealth';
import { DetailList } from './DetailList';

type Budget = NonNullable<ConnectionStatus['budget']>[number];
type ErrorRow = { where: string; count: number; last: { at: string; status?: number; message: string } };

const hourMs = 60 * 60 * 1000;

/** Errors Exact gave in the last hour, per endpoint: Exact blocks an endpoint at 10 an hour. */
export function errorsLastHour(status: ConnectionStatus, now: number): ErrorRow[] {
  const rows = new Map<string, ErrorRow>();
  for (const error of status.recentErrors ?? []) {
    if (now - Date.parse(error.at) > hourMs) continue;
    const row = rows.get(error.where);
    if (row) {
      row.count += 1;
      if (error.at > row.last.at) row.last = error;
    } else {
      rows.set(error.where, { where: error.where, count: 1, last: error });
    }
  }
  return Array.from(rows.values()).sort((a, b) => b.count - a.count);
}

export function HealthSection(props: { status: ConnectionStatus; at: number; reloading: boolean; onRefresh: () => void }): React.ReactElement {
  const { locale } = useConnector();
  const theme = useTheme();
  const now = useNow(30_000);
  const { status } = props;
  const classes = mergeStyleSets({
    stack: { display: 'flex', flexDirection: 'column', gap: 16 },
    subheading: { margin: '0 0 4px', fontWeight: 600 },
    budget: { display: 'grid', gap: '4px 16px', gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 150px), 1fr))' },
    table: { width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed' },
    cell: { textAlign: 'left', padding: '4px 8px 4px 0', borderBottom: `1px solid ${theme.palette.neutralLight}`, overflowWrap: 'anywhere', verticalAlign: 'top' },
    warn: { color: theme.semanticColors.errorText, fontWeight: 600 },
  });
  const errors = errorsLastHour(status, now);
  const divisionName = (code: number): string => status.divisions?.find((d) => d.code === code)?.description ?? format(strings.BudgetDivision, code);
  return (
    <Section
      id="exact-health"
      title={strings.HealthTitle}
      actions={
        <ActionButton iconProps={{ iconName: 'Refresh' }} onClick={props.onRefresh} disabled={props.reloading}>
          {common.Refresh}
        </ActionButton>
      }
    >
      <div className={classes.stack}>
        <Text variant="small" block>
          {format(common.UpdatedAt, relativeTime(new Date(props.at).toISOString(), Math.max(now, props.at), locale))}
        </Text>
        <DetailList
          items={[
            [strings.AccessTokenAge, status.accessTokenIssuedAt ? format(strings.AccessTokenAgeValue, relativeTime(status.accessTokenIssuedAt, now, locale)) : strings.AccessTokenNone],
            [strings.RefreshTokenUsed, status.refreshTokenUsedAt ? formatDate(status.refreshTokenUsedAt, locale, true) : strings.AccessTokenNone],
            [strings.ConsentNeededBy, status.consentNeededBy ? format(strings.ConsentNeededByValue, formatDate(status.consentNeededBy, locale)) : ''],
          ]}
        />
        <div>
          <Text as="h3" variant="mediumPlus" block className={classes.subheading}>
            {strings.BudgetTitle}
          </Text>
          {(status.budget ?? []).map((budget) => (
            <BudgetBars key={budget.division} budget={budget} name={divisionName(budget.division)} className={classes.budget} />
          ))}
        </div>
        <div>
          <Text as="h3" variant="mediumPlus" block className={classes.subheading}>
            {strings.ErrorsTitle}
          </Text>
          {errors.length === 0 ? (
            <Text block>{strings.ErrorsNone}</Text>
          ) : (
            <>
              <table className={classes.table}>
                <thead>
                  <tr>
                    <th className={classes.cell} scope="col">{strings.ErrorsEndpoint}</th>
                    <th className={classes.cell} scope="col" style={{ width: '25%' }}>{strings.ErrorsCount}</th>
                    <th className={classes.cell} scope="col">{strings.ErrorsLast}</th>
                  </tr>
                </thead>
                <tbody>
                  {errors.map((row) => (
                    <tr key={row.where}>
                      <td className={classes.cell}>{row.where}</td>
                      <td className={`${classes.cell} ${row.count >= 7 ? classes.warn : ''}`}>{format(strings.ErrorsOfLimit, row.count)}</td>
                      <td className={classes.cell}>
                        {relativeTime(row.last.at, now, locale)}: {row.last.status ? `${row.last.status} ` : ''}
                        {row.last.message}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Text variant="small" block styles={{ root: { marginTop: 4 } }}>
                {strings.ErrorsNearBlock}
              </Text>
            </>
          )}
        </div>
        <BackgroundRunsHealth />
      </div>
    </Section>
  );
}

function BudgetBars(props: { budget: Budget; name: string; className: string }): React.ReactElement {
  const { locale } = useConnector();
  const { minutely, daily, queued } = props.budget;
  const bar = (label: string, window: Budget['daily']): React.ReactElement => (
    <ProgressIndicator
      label={label}
      description={format(strings.BudgetLeft, formatNumber(window.remaining, locale), formatNumber(window.limit, locale))}
      percentComplete={window.limit > 0 ? window.remaining / window.limit : 0}
      ariaValueText={format(strings.BudgetLeft, formatNumber(window.remaining, locale), formatNumber(window.limit, locale))}
    />
  );
  return (
    <div style={{ marginBottom: 12 }}>
      <Text block styles={{ root: { fontWeight: 600, margin: '4px 0' } }}>
        {props.name}
      </Text>
      <div className={props.className}>
        {bar(strings.BudgetMinute, minutely)}
        {bar(strings.BudgetDay, daily)}
      </div>
      {queued > 0 ? <Text variant="small">{format(strings.BudgetQueued, formatNumber(queued, locale))}</Text> : null}
    </div>
  );
}
