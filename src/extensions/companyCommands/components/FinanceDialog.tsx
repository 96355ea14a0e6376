import * as React from 'react';
import * as ReactDom from 'react-dom';
import { BaseDialog } from '@microsoft/sp-dialog';
import { DefaultButton } from '@fluentui/react/lib/Button';
import { ThemeProvider } from '@fluentui/react/lib/Theme';
import * as strings from 'CompanyCommandsCommandSetStrings';
import { lazyPart } from '../../../ui/components/LazyPart';
import type { FinanceDialogContentProps } from './FinanceDialogContent';

// The services and the customer panel come with the first click: a list view that is only looked
// at loads nothing but the command set.
const FinanceDialogContent = lazyPart<FinanceDialogContentProps>(
  () => import(/* webpackChunkName: 'company-commands-finance' */ './FinanceDialogContent').then((m) => m.FinanceDialogContent),
  () => strings.Loading,
);

/** The customer panel over the list view, in SharePoint's own dialog host. */
export class FinanceDialog extends BaseDialog {
  public constructor(private readonly options: FinanceDialogContentProps) {
    super({ isBlocking: false });
  }

  public render(): void {
    const { theme } = this.options;
    ReactDom.render(
      <ThemeProvider theme={theme} applyTo="element" style={{ background: theme.semanticColors.bodyBackground, color: theme.semanticColors.bodyText }}>
        <div style={{ padding: 16, width: 'min(1100px, 92vw)', maxHeight: '85vh', overflowY: 'auto', boxSizing: 'border-box' }}>
          <FinanceDialogContent {...this.options} />
          <div style={{ marginTop: 16 }}>
            <DefaultButton text={strings.Close} onClick={() => void this.close()} />
          </div>
        </div>
      </ThemeProvider>,
      this.domElement,
    );
  }

  protected onAfterClose(): void {
    super.onAfterClose();
    ReactDom.unmountComponentAtNode(this.domElement);
  }
}
