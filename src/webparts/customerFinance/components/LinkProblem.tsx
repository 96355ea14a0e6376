import * as React from 'react';
import { DefaultButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import * as strings from 'CustomerFinanceWebPartStrings';
import type { Company } from '../../../finance/company';
import { AlreadyLinkedError } from '../../../finance/financeService';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { format } from '../../../ui/format';

/**
 * Why a link or create failed. An Exact account already linked to another CRM company is named
 * as such, with that company to open: it is not a SharePoint outage, and trying again cannot help.
 */
export function LinkProblem(props: { error: unknown; lead: string; onOpenCompany?: (company: Company) => void; onRetry?: () => void }): React.ReactElement {
  const { error } = props;
  if (error instanceof AlreadyLinkedError) {
    const { account, holder } = error;
    return (
      <MessageBar
        messageBarType={MessageBarType.warning}
        isMultiline
        data-testid="already-linked-elsewhere"
        actions={props.onOpenCompany ? <DefaultButton text={format(strings.OpenCompany, holder.name)} onClick={() => props.onOpenCompany?.(holder)} /> : undefined}
      >
        {format(strings.AlreadyLinkedTo, account.name ?? account.code ?? account.id, account.code ?? account.id, holder.name)}
      </MessageBar>
    );
  }
  return <ProblemMessage error={error} lead={props.lead} onRetry={props.onRetry} />;
}
