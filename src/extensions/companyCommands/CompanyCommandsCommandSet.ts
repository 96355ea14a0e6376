import { BaseListViewCommandSet, type IListViewCommandSetExecuteEventParameters, type RowAccessor } from '@microsoft/sp-listview-extensibility';
import { ThemeProvider } from '@microsoft/sp-component-base';
import { Dialog } from '@microsoft/sp-dialog';
import { isConfigured, pinnedSettings, tenantSettingsFor, type ConnectorSettings, type PinnedSettings, type TenantSettings } from '../../services/connectorSettings';
import { themeFromVariant } from '../../ui/theme';
import { settingsRefusalText } from '../../webparts/common/settingsRefusal';
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

  /** The command set's own properties and the tenant property, its own gateway only when allowed. */
  private get pinned(): PinnedSettings<ICompanyCommandsCommandSetProperties> {
    return pinnedSettings(this.properties, this.tenant);
  }

  public async onInit(): Promise<void> {
    this.tenant = await tenantSettingsFor(this.context, this.properties);
    this.context.listView.listViewStateChangedEvent.add(this, this.updateCommands);
    this.updateCommands();
  }

  private updateCommands(): void {
    const rows = this.context.listView.selectedRows ?? [];
    const pinned = this.pinned;
    // Refused, the buttons stay so that a click can say why nothing opens.
    const one = rows.length === 1 && (isConfigured(pinned.settings) || !!pinned.refusal);
    const finance = this.tryGetCommand(FINANCE);
    const create = this.tryGetCommand(CREATE_IN_EXACT);
    if (finance) finance.visible = one;
    if (create) create.visible = one && !linked(rows[0]!);
    this.raiseOnChange();
  }

  public onExecute(event: IListViewCommandSetExecuteEventParameters): void {
    const row = event.selectedRows[0];
    const pinned = this.pinned;
    if (pinned.refusal) {
      void Dialog.alert(settingsRefusalText(pinned.refusal, pinned));
      return;
    }
    const settings = pinned.settings;
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
