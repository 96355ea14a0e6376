import * as React from 'react';
import { PrimaryButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'OrderProfilesStrings';
import type { OrderPlan } from '../../../../orders/plan';
import type { OrderProfile } from '../../../../orders/profile';
import type { GlobeFile } from '../../../../orders/service';
import { useConnector } from '../../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { Section } from '../../../../ui/components/Section';
import { downloadText } from '../../../../ui/download';
import { format } from '../../../../ui/format';
import { wrappingButton } from './buttonStyles';
import { money, rate } from './money';
import type { OrdersPage } from './ordersPage';

const classes = mergeStyleSets({
  stack: { display: 'flex', flexDirection: 'column', gap: 12, minWidth: 0 },
  facts: { margin: 0, display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', gap: '2px 16px' },
  dt: { opacity: 0.8 },
  dd: { margin: 0, minWidth: 0, overflowWrap: 'anywhere', fontVariantNumeric: 'tabular-nums' },
});

type State = { kind: 'idle' } | { kind: 'checking' } | { kind: 'done'; file: GlobeFile } | { kind: 'failed'; error: unknown };

/** The plan as an eExact XML file: checked against the XSD first, offered only when it validates. */
export function GlobeDownload(props: { page: OrdersPage; profile: OrderProfile; plan: OrderPlan }): React.ReactElement {
  const { locale } = useConnector();
  const [state, setState] = React.useState<State>({ kind: 'idle' });
  React.useEffect(() => setState({ kind: 'idle' }), [props.plan]);
  const check = async (): Promise<void> => {
    setState({ kind: 'checking' });
    try {
      setState({ kind: 'done', file: await props.page.service.globeFile(props.profile, props.plan) });
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  };
  return (
    <Section id="order-globe" title={strings.GlobeTitle}>
      <div className={classes.stack}>
      <Text block>{strings.GlobeIntro}</Text>
      <div>
        <PrimaryButton styles={wrappingButton} iconProps={{ iconName: 'CheckList' }} text={strings.GlobeMake} disabled={state.kind === 'checking' || props.plan.orders.length === props.plan.heldBack.length} onClick={() => void check()} />
      </div>
      {state.kind === 'checking' && <Spinner size={SpinnerSize.medium} label={strings.GlobeChecking} />}
      {state.kind === 'failed' && <ProblemMessage error={state.error} lead={strings.GlobeFailed} />}
      {state.kind === 'done' && state.file.validation.valid && (
        <>
          <MessageBar messageBarType={MessageBarType.success} isMultiline>
            {format(strings.GlobeValid, state.file.summary.orders, state.file.summary.customers, state.file.summary.lines, money(state.file.summary.net, locale), money(state.file.summary.gross, locale))}
          </MessageBar>
          <dl className={classes.facts} aria-label={strings.GlobeSummaryLabel}>
            {[
              [strings.GlobeOrders, String(state.file.summary.orders)],
              [strings.GlobeDebtors, String(state.file.summary.customers)],
              [strings.ColLines, String(state.file.summary.lines)],
              [strings.ColExcl, money(state.file.summary.net, locale)],
              ...state.file.summary.rates.map((r) => [format(strings.GlobeRate, rate(r.percentage, locale)), money(r.vat, locale)]),
              [strings.ColIncl, money(state.file.summary.gross, locale)],
              ...(state.file.summary.heldBack > 0 ? [[strings.GlobeHeldBack, String(state.file.summary.heldBack)]] : []),
            ].map(([label, value]) => (
              <React.Fragment key={label}>
                <dt className={classes.dt}>{label}</dt>
                <dd className={classes.dd}>{value}</dd>
              </React.Fragment>
            ))}
          </dl>
          <div>
            <PrimaryButton styles={wrappingButton} iconProps={{ iconName: 'Download' }} text={format(strings.GlobeDownload, state.file.fileName)} onClick={() => downloadText(state.file.fileName, state.file.xml, 'application/xml;charset=utf-8')} />
          </div>
        </>
      )}
      {state.kind === 'done' && !state.file.validation.valid && (
        <MessageBar messageBarType={MessageBarType.error} isMultiline>
          {format(strings.GlobeInvalid, state.file.validation.errors.slice(0, 3).map((e) => `${e.line ?? '?'}: ${e.message}`).join('; '))}
        </MessageBar>
      )}
      </div>
    </Section>
  );
}
