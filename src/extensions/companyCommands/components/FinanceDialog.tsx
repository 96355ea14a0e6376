import * as React from 'react';
import * as ReactDom from 'react-dom';
import { BaseDialog } from '@microsoft/sp-dialog';
import { DefaultButton } from '@fluentui/react/lib/Button';
import type { ITheme } from '@fluentui/react/lib/Styling';
import type { ConnectorEnvironment } from '../../../ui/ConnectorContext';
import { ConnectorRoot } from '../../../ui/ConnectorRoot';
import { CustomerFinancePanel } from '../../../webparts/customerFinance/components/CustomerFinancePanel';

export interface FinanceDialogOptions {
  environment: ConnectorEnvironment;
  theme: ITheme;
  companyId: number;
  startWith: 'finance' | 'create';
  closeLabel: string;
}

/** The customer panel over the list view, in SharePoint's own dialog host. */
export class FinanceDialog extends BaseDialog {
  public constructor(private readonly options: FinanceDialogOptions) {
    super({ isBlocking: false });
  }

  public render(): void {
    const { environment, theme, companyId, startWith, closeLabel } = this.options;
    ReactDom.render(
      <ConnectorRoot environment={environment} theme={theme}>
        <div style={{ padding: 16, width: 'min(1100px, 92vw)', maxHeight: '85vh', overflowY: 'auto', boxSizing: 'border-box' }}>
          <CustomerFinancePanel companyId={companyId} startWith={startWith} />
          <div style={{ marginTop: 16 }}>
            <DefaultButton text={closeLabel} onClick={() => void this.close()} />
          </div>
        </div>
      </ConnectorRoot>,
      this.domElement,
    );
  }

  protected onAfterClose(): void {
    super.onAfterClose();
    ReactDom.unmountComponentAtNode(this.domElement);
  }
}
