import { BaseListViewCommandSet, type IListViewCommandSetExecuteEventParameters, type RowAccessor } from '@microsoft/sp-listview-extensibility';
import { ThemeProvider } from '@microsoft/sp-component-base';
import { isConfigured, tenantSettingsFor, withTenantSettings, type ConnectorSettings, type TenantSettings } from '../../services/connectorSettings';
import { themeFromVariant } from '../../ui/theme';
import { FinanceDialog } from './components/FinanceDialog';

export type ICompanyCommandsCommandSetProperties = Partial<ConnectorSettings>;

const FINANCE = 'FINANCE';
const CREATE_IN_EXACT = 'CREATE_IN_EXACT';

const linked = (row: RowAccessor): boolean => {
  const value: unknown = row.getValueByName('ExactId');
  return typeof value === 'string' && value.trim() !== '';
};

/**
 * "Finance" and "Create in Exact" on the Companies list's command bar: one selected company opens
 * the customer panel in a dialog; "Create in Exact" only shows for a company without an Exact ID.
 */
export default class CompanyCommandsCommandSet extends BaseListViewCommandSet<ICompanyCommandsCommandSetProperties> {
  private tenant: TenantSettings = {};

  private get settings(): ICompanyCommandsCommandSetProperties {
    return withTenantSettings(this.properties, this.tenant.settings);
  }

  public async onInit(): Promise<void> {
    this.tenant = await tenantSettingsFor(this.context, this.properties);
    this.context.listView.listViewStateChangedEvent.add(this, this.updateCommands);
    this.updateCommands();
  }

  private updateCommands(): void {
    const rows = this.context.listView.selectedRows ?? [];
    const one = rows.length === 1 && isConfigured(this.settings);
    const finance = this.tryGetCommand(FINANCE);
    const create = this.tryGetCommand(CREATE_IN_EXACT);
    if (finance) finance.visible = one;
    if (create) create.visible = one && !linked(rows[0]!);
    this.raiseOnChange();
  }

  public onExecute(event: IListViewCommandSetExecuteEventParameters): void {
    const row = event.selectedRows[0];
    const settings = this.settings;
    if (!row || !isConfigured(settings)) return;
    const companyId = Number(row.getValueByName('ID'));
    const theme = themeFromVariant(this.context.serviceScope.consume(ThemeProvider.serviceKey).tryGetTheme());
    const dialog = new FinanceDialog({
      context: this.context,
      settings,
      locale: this.context.pageContext.cultureInfo.currentUICultureName,
      theme,
      companyId,
      startWith: event.itemId === CREATE_IN_EXACT ? 'create' : 'finance',
    });
    void dialog.show();
  }
}
