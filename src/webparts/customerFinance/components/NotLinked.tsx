import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'CustomerFinanceWebPartStrings';
import type { Company } from '../../../finance/company';
import { divisionLabel } from '../../../finance/divisions';
import type { CustomerInDivisions, FinanceService } from '../../../finance/financeService';
import { lazyPart } from '../../../ui/components/LazyPart';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { Section } from '../../../ui/components/Section';
import { format } from '../../../ui/format';
import { useAsync } from '../../../ui/useAsync';
import { LinkProblem } from './LinkProblem';
import { Suggestions } from './Suggestions';

// The form and the division picker (Fluent's Dropdown is large) come with the create chunk.
const CreateInExact = lazyPart(() => import(/* webpackChunkName: 'customer-finance-create' */ './CreateInExact').then((m) => m.CreateInExact), () => strings.LoadingCreateForm);
const DivisionPicker = lazyPart(() => import(/* webpackChunkName: 'customer-finance-create' */ './DivisionPicker').then((m) => m.DivisionPicker), () => strings.LoadingDivisionPicker);

export interface NotLinkedProps {
  finance: FinanceService;
  customer: CustomerInDivisions;
  startWith?: 'finance' | 'create';
  onLinked: (company: Company, note: string) => void;
  onOpenCompany?: (company: Company) => void;
}

/**
 * A company without an Exact link: in the division the person picks (the connection's default
 * first), the accounts that look like it to link, or the form to create it there.
 */
export function NotLinked(props: NotLinkedProps): React.ReactElement {
  const { finance, customer } = props;
  const { company, divisions } = customer;
  const [creating, setCreating] = React.useState(props.startWith === 'create');
  const [divisionCode, setDivisionCode] = React.useState(customer.defaultDivision.code);
  const division = divisions.find((d) => d.code === divisionCode) ?? customer.defaultDivision;
  React.useEffect(() => {
    void CreateInExact.preload();
    void DivisionPicker.preload();
  }, []);
  const [linking, setLinking] = React.useState<string | undefined>();
  const [linkError, setLinkError] = React.useState<unknown>();
  const suggestions = useAsync(() => finance.suggestions({ company, division: division.code }), [finance, company, division.code]);

  const picker = divisions.length > 1 ? <DivisionPicker customer={customer} division={division} onChange={setDivisionCode} disabled={!!linking} /> : null;
  if (creating) {
    return (
      <Section id="create" title={strings.CreateTitle}>
        {picker ? <div style={{ marginBottom: 12 }}>{picker}</div> : null}
        <CreateInExact company={company} division={division} finance={finance} onDone={props.onLinked} onCancel={() => setCreating(false)} onOpenCompany={props.onOpenCompany} />
      </Section>
    );
  }
  return (
    <Section id="not-linked" title={strings.NotLinkedTitle}>
      <div data-testid="state-not-linked" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
        <Text as="p" block styles={{ root: { margin: 0 } }}>
          {strings.NotLinkedText}
        </Text>
        <LinkedElsewhere customer={customer} />
        {picker ?? (
          <Text as="p" block styles={{ root: { margin: 0 } }}>
            {format(strings.InDivision, divisionLabel(division))}
          </Text>
        )}
        {suggestions.state.status === 'loading' ? <Spinner label={strings.LookingForMatches} /> : null}
        {suggestions.state.status === 'failed' ? <ProblemMessage error={suggestions.state.error} onRetry={suggestions.reload} lead={strings.MatchesFailed} /> : null}
        {suggestions.state.status === 'ready' ? (
          suggestions.state.value.length ? (
            <>
              <Text as="h3" variant="mediumPlus" block styles={{ root: { margin: 0, fontWeight: 600 } }}>
                {format(strings.SuggestionsTitleIn, divisionLabel(division))}
              </Text>
              <Suggestions
                suggestions={suggestions.state.value}
                busy={linking}
                onLink={(s) => {
                  setLinking(s.id);
                  setLinkError(undefined);
                  finance
                    .link({ company, account: s, division: division.code })
                    .then((next) => props.onLinked(next, format(strings.LinkedIn, s.name, divisionLabel(division))), setLinkError)
                    .finally(() => setLinking(undefined));
                }}
              />
            </>
          ) : (
            <Text as="p" block styles={{ root: { margin: 0 } }}>
              {format(strings.NoMatchesIn, divisionLabel(division))}
            </Text>
          )
        ) : null}
        {linkError ? <LinkProblem error={linkError} lead={strings.LinkFailed} onOpenCompany={props.onOpenCompany} /> : null}
        <div>
          {suggestions.state.status === 'ready' && suggestions.state.value.length ? (
            <DefaultButton text={strings.CreateInExactButton} onClick={() => setCreating(true)} />
          ) : (
            <PrimaryButton text={strings.CreateInExactButton} onClick={() => setCreating(true)} />
          )}
        </div>
      </div>
    </Section>
  );
}

/** Where the same KvK or VAT number is already linked: the person may be about to make a second account. */
function LinkedElsewhere(props: { customer: CustomerInDivisions }): React.ReactElement | null {
  if (!props.customer.links.length) return null;
  return (
    <MessageBar messageBarType={MessageBarType.info} isMultiline data-testid="linked-elsewhere">
      {props.customer.links.map((link) => (
        <div key={link.division.code}>{format(strings.LinkedElsewhere, divisionLabel(link.division), link.company.name)}</div>
      ))}
    </MessageBar>
  );
}
