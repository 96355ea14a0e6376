import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ImportProfilesWebPartStrings';
import * as common from 'CommonStrings';
import type { Profile } from '../../../sync/profile/profile';
import type { ReviewItem } from '../../../sync/journal/records';
import { renderReason } from '../../../sync/journal/reasons';
import { DIVISION_FIELD } from '../../../sync/model';
import type { FieldValue } from '../../../sync/ports';
import { useConnector } from '../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { format } from '../../../ui/format';
import { useAsync } from '../../../ui/useAsync';
import { divisionLabel, itemDivisionLabel } from './divisions';
import type { PageData } from './pageData';
import { identityText, showValue } from './entryText';
import { signalText } from './labels';

/** The columns that tell two companies apart: name, code, KvK, VAT, postcode, e-mail. */
const telling = /title|name|code|kvk|coc|vat|btw|post|zip|mail/i;

export function ReviewPanel(props: { data: PageData; profile: Profile; version: number; onDecided: () => void }): React.ReactElement {
  const { importProfiles, user } = props.data;
  const { profile } = props;
  const theme = useTheme();
  const { locale } = useConnector();
  const [notice, setNotice] = React.useState<string | undefined>();
  const [error, setError] = React.useState<unknown>();
  const [busy, setBusy] = React.useState(false);
  const [warning, setWarning] = React.useState<string | undefined>();
  // The division column comes along: a candidate linked in another division is another company.
  const columns = React.useMemo(() => [...Array.from(new Set(['Title', profile.key.crmField, ...profile.mappings.map((m) => m.target).filter((t) => telling.test(t))])).slice(0, 7), DIVISION_FIELD], [profile]);
  const review = useAsync(async () => {
    const items = await importProfiles.review.list(profile.id, 'pending');
    const [candidates, listColumns] = await Promise.all([
      importProfiles.review.candidates({ targetList: profile.targetList, entries: items, columns }),
      // Captions only: a list that cannot be described still shows its internal names.
      importProfiles.listColumns(profile.targetList).catch(() => []),
    ]);
    const captions = new Map(listColumns.map((c) => [c.internalName, c.title]));
    return { items, values: candidates.values, fields: candidates.columns.filter((c) => c !== DIVISION_FIELD), captions };
  }, [importProfiles, profile, props.version, columns]);
  const classes = mergeStyleSets({
    item: { border: `1px solid ${theme.palette.neutralLight}`, borderRadius: 4, padding: 12, display: 'grid', gap: 12, gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 2fr)', selectors: { '@media (max-width: 720px)': { gridTemplateColumns: 'minmax(0, 1fr)' } } },
    candidate: { borderTop: `1px solid ${theme.palette.neutralLighter}`, paddingTop: 8, marginTop: 8 },
    dl: { margin: '4px 0', display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', gap: '2px 12px' },
    dt: { color: theme.palette.neutralSecondary },
    dd: { margin: 0, overflowWrap: 'anywhere' },
    list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 12 },
    compare: { width: '100%', borderCollapse: 'collapse', margin: '4px 0 8px', tableLayout: 'fixed' },
    cell: { textAlign: 'left', fontWeight: 'normal', padding: '2px 8px 2px 0', verticalAlign: 'top', overflowWrap: 'break-word', borderBottom: `1px solid ${theme.palette.neutralLighter}` },
  });
  // One decision at a time: a double click must not send two.
  const act = (work: () => Promise<{ ok: boolean; message: string }>): void => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    setWarning(undefined);
    work().then(
      (outcome) => {
        setBusy(false);
        if (outcome.ok) setNotice(outcome.message);
        else setWarning(outcome.message);
        review.reload();
        props.onDecided();
      },
      (e: unknown) => {
        setBusy(false);
        setError(e);
      },
    );
  };
  if (review.state.status === 'loading') return <Spinner label={common.Loading} />;
  if (review.state.status === 'failed') return <ProblemMessage error={review.state.error} onRetry={review.reload} />;
  const { items, values, fields, captions } = review.state.value;
  const shown = (value: FieldValue | undefined): string => (value === null || value === undefined || value === '' ? strings.Empty : showValue(value, locale));
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      {notice ? <MessageBar messageBarType={MessageBarType.success}>{notice}</MessageBar> : null}
      {warning ? <MessageBar messageBarType={MessageBarType.warning}>{warning}</MessageBar> : null}
      {error ? <ProblemMessage error={error} /> : null}
      {items.length === 0 ? (
        <Text block>{strings.ReviewEmpty}</Text>
      ) : (
        <>
          <Text block>{strings.ReviewIntro}</Text>
          <ul className={classes.list} aria-label={strings.ReviewCandidates}>
            {items.map((item: ReviewItem) => (
              <li key={item.exactKey} className={classes.item} data-review={item.exactKey}>
                <div>
                  <Text block styles={{ root: { fontWeight: 600 } }}>
                    {strings.ReviewExactRecord}
                  </Text>
                  <Text block>{item.label}</Text>
                  {identityText(item) ? (
                    <Text block variant="small" className={classes.dt} data-testid={`review-identity-${item.exactKey}`}>
                      {identityText(item)}
                    </Text>
                  ) : null}
                  <Text block variant="small" className={classes.dt}>
                    {format(strings.ReviewInDivision, divisionLabel(profile.division, props.data.divisions))}
                  </Text>
                  <Text block variant="small">
                    {renderReason(item.reason, strings)}
                  </Text>
                  <DefaultButton
                    styles={{ root: { marginTop: 8 } }}
                    text={strings.ReviewCreateNew}
                    disabled={busy}
                    ariaLabel={`${strings.ReviewCreateNew}: ${item.label}`}
                    onClick={() => act(() => importProfiles.review.reject(profile.id, item.exactKey, { user }).then(() => ({ ok: true, message: format(strings.ReviewRejected, item.label) })))}
                  />
                </div>
                <div>
                  <Text block styles={{ root: { fontWeight: 600 } }}>
                    {strings.ReviewCandidates}
                  </Text>
                  {item.candidates.map((candidate) => (
                    <div key={candidate.itemId} className={classes.candidate}>
                      <Text block>
                        {format(strings.ReviewCandidateItem, candidate.itemId)}: {candidate.label}
                      </Text>
                      <Text block variant="small" data-testid={`candidate-signal-${candidate.itemId}`}>
                        {signalText(candidate.signal, candidate.confidence)}
                      </Text>
                      <dl className={classes.dl}>
                        <dt className={classes.dt}>{strings.ColumnDivision}</dt>
                        <dd className={classes.dd} data-testid={`candidate-division-${candidate.itemId}`}>
                          {itemDivisionLabel(values.get(candidate.itemId)?.[DIVISION_FIELD], !!values.get(candidate.itemId)?.[profile.key.crmField], props.data.divisions, props.data.defaultDivision)}
                        </dd>
                      </dl>
                      {/* The Exact record beside the CRM item, field by field: what a person compares before linking. */}
                      <table className={classes.compare} data-testid={`compare-${candidate.itemId}`}>
                        <thead>
                          <tr>
                            <th scope="col" className={classes.cell}>{strings.ReviewCompareField}</th>
                            <th scope="col" className={classes.cell}>{strings.ReviewCompareExact}</th>
                            <th scope="col" className={classes.cell}>{strings.ReviewCompareCrm}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {fields.map((field) => {
                            const exact = item.exactValues?.[field];
                            const crm = values.get(candidate.itemId)?.[field];
                            const same = exact !== undefined && exact !== null && exact !== '' && String(exact).trim().toLowerCase() === String(crm ?? '').trim().toLowerCase();
                            return (
                              <tr key={field}>
                                <th scope="row" className={`${classes.cell} ${classes.dt}`}>{captions.get(field) ?? field}</th>
                                <td className={classes.cell}>{item.exactValues ? shown(exact) : strings.Empty}</td>
                                <td className={classes.cell} style={same ? { fontWeight: 600 } : undefined}>{shown(crm)}</td>
                              </tr>
                            );
                          })}
                        </tbody>
                      </table>
                      <PrimaryButton
                        text={strings.ReviewLink}
                        disabled={busy}
                        ariaLabel={`${strings.ReviewLink}: ${item.label} → ${candidate.label}`}
                        onClick={() =>
                          act(() =>
                            importProfiles.review
                              .confirm(profile, item.exactKey, candidate.itemId, { user, linkNow: true })
                              .then((r) => ({ ok: r.linked, message: r.linked ? format(strings.ReviewLinkedTo, item.label, candidate.label) : format(strings.ReviewNotLinked, r.message) })),
                          )
                        }
                      />
                      <DefaultButton
                        styles={{ root: { marginLeft: 8 } }}
                        text={strings.ReviewReject}
                        disabled={busy}
                        ariaLabel={`${strings.ReviewReject}: ${item.label} ≠ ${candidate.label}`}
                        onClick={() =>
                          act(() =>
                            importProfiles.review
                              .dismiss(profile.id, item.exactKey, candidate.itemId, { user })
                              .then((r) => ({ ok: true, message: format(r.status === 'rejected' ? strings.ReviewRejected : strings.ReviewDismissed, item.label, candidate.label) })),
                          )
                        }
                      />
                    </div>
                  ))}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
