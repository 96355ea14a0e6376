import * as React from 'react';
import { ActionButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'OrderProfilesStrings';
import type { ParsedReport } from '../../../../orders/billingReport';
import type { CrmOrders as CrmRead } from '../../../../orders/crmSource';
import type { OrderPlan } from '../../../../orders/plan';
import type { OrderProfile } from '../../../../orders/profile';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { Section } from '../../../../ui/components/Section';
import { format } from '../../../../ui/format';
import { CrmOrders } from './CrmOrders';
import { OrderBlockers } from './OrderBlockers';
import { GlobeDownload } from './GlobeDownload';
import { OrderPreview } from './OrderPreview';
import { OrderRuns } from './OrderRuns';
import type { OrdersPage } from './ordersPage';

const classes = mergeStyleSets({
  view: { display: 'flex', flexDirection: 'column', gap: 16, minWidth: 0 },
  problems: { margin: '4px 0 0', paddingLeft: 20, maxHeight: 200, overflowY: 'auto' },
  file: { maxWidth: '100%' },
  upload: { display: 'flex', flexDirection: 'column', gap: 8, alignItems: 'flex-start', minWidth: 0 },
});

/** The plan on screen stays while a new one is made (after "map now"), so nothing jumps away under the person. */
interface Planned { plan?: OrderPlan; planning: boolean; error?: unknown }

/** One order profile: upload the report (or read the CRM's orders), map what blocks, preview, then create in Exact Online or download for Globe. */
export function OrderProfileView(props: { page: OrdersPage; profile: OrderProfile; onBack: () => void }): React.ReactElement {
  const { page } = props;
  const [profile, setProfile] = React.useState(props.profile);
  const [report, setReport] = React.useState<{ name: string; parsed: ParsedReport } | undefined>();
  const [planned, setPlanned] = React.useState<Planned>({ planning: false });
  const [mapped, setMapped] = React.useState<string>();
  const [crmRead, setCrmRead] = React.useState<CrmRead>();
  const [sent, setSent] = React.useState(0);
  const inputId = `order-report-${profile.id}`;
  const fromCrm = profile.source.kind === 'crmLists';
  const lines = fromCrm ? crmRead?.lines : report?.parsed.lines;
  const onCrmRead = React.useCallback((read: CrmRead | undefined) => {
    setPlanned({ planning: false });
    setCrmRead(read);
  }, []);

  React.useEffect(() => {
    if (!lines || lines.length === 0) return;
    let live = true;
    setPlanned((before) => ({ plan: before.plan, planning: true }));
    page.service.plan(profile, lines).then(
      (plan) => live && setPlanned({ plan, planning: false }),
      (error: unknown) => live && setPlanned({ planning: false, error }),
    );
    return () => {
      live = false;
    };
  }, [page.service, profile, lines]);

  const upload = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    const text = await file.text();
    setPlanned({ planning: false });
    setMapped(undefined);
    setReport({ name: file.name, parsed: page.service.readReport(text, file.name) });
  };

  return (
    <div className={classes.view}>
      <div>
        <ActionButton iconProps={{ iconName: 'Back' }} text={strings.Back} onClick={props.onBack} />
      </div>
      <Text variant="xLarge" role="heading" aria-level={2}>{profile.title}</Text>
      {fromCrm && <CrmOrders page={page} profile={profile} plan={planned.plan} sent={sent} onRead={onCrmRead} />}
      {!fromCrm && <Section id="order-report" title={strings.UploadTitle}>
        <div className={classes.upload}>
          <label htmlFor={inputId}><Text>{strings.UploadLabel}</Text></label>
          <input id={inputId} className={classes.file} type="file" accept=".csv,.json,text/csv,application/json" onChange={(e) => void upload(e.target.files?.[0])} />
          <Text variant="small">{strings.UploadHelp}</Text>
          {report && <Text role="status">{format(strings.ReportRead, report.name, report.parsed.lines.length)}</Text>}
        </div>
        {report && report.parsed.problems.length > 0 && (
          <MessageBar messageBarType={MessageBarType.warning} isMultiline>
            {format(strings.ReportProblems, new Set(report.parsed.problems.map((p) => p.line)).size)}
            <ul className={classes.problems}>
              {report.parsed.problems.slice(0, 200).map((p, i) => (
                <li key={i}>{format(strings.ReportProblem, p.line, p.column || '-', p.message)}</li>
              ))}
            </ul>
          </MessageBar>
        )}
      </Section>}
      {planned.planning && <Spinner size={SpinnerSize.medium} label={strings.Planning} />}
      {planned.error !== undefined && <ProblemMessage error={planned.error} lead={strings.PlanFailed} />}
      {/* A profile saved before CRM orders were kept from Globe: say why it offers nothing. */}
      {fromCrm && profile.target.kind === 'exactGlobe' && <MessageBar messageBarType={MessageBarType.warning} isMultiline>{strings.TargetGlobeNotForCrm}</MessageBar>}
      {planned.plan && (
        <>
          <OrderBlockers page={page} profile={profile} plan={planned.plan} mapped={mapped} onMapped={(saved, message) => { setMapped(message); setProfile(saved); }} />
          <OrderPreview plan={planned.plan} />
          {/* One plan, both targets: the profile's own first, the other one below it; CRM orders go to Exact Online only (nothing marks them in a file). */}
          {profile.target.kind === 'exactOnline' && <OrderRuns page={page} profile={profile} plan={planned.plan} busy={planned.planning} onRunChanged={() => setSent((n) => n + 1)} />}
          {!fromCrm && <GlobeDownload page={page} profile={profile} plan={planned.plan} />}
        </>
      )}
      {!planned.plan && profile.target.kind === 'exactOnline' && <OrderRuns page={page} profile={profile} />}
    </div>
  );
}
